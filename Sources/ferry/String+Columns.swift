extension String {
    /// The text left-aligned in a column of `width` characters, with at least one space after it.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
