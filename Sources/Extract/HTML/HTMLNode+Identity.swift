extension HTMLNode: Equatable {
    /// The same node of the same parsed document (not merely an equal-looking one).
    public static func == (lhs: HTMLNode, rhs: HTMLNode) -> Bool {
        lhs.pointer == rhs.pointer
    }
}
