#if canImport(Glibc)
    import Glibc
#endif

/// A NULL-terminated array of C strings, alive for the duration of a closure (for `execve`).
enum CStringArray {
    static func withArray<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
