#if canImport(Glibc)
    import Glibc
#endif

/// TCP ports on 127.0.0.1: whether one is free, and a free one chosen by the kernel.
public enum LocalPort {
    /// A port the kernel reports free right now (it may be taken again before it is used).
    public static func free() -> Int? {
        bind(port: 0)
    }

    public static func isFree(_ port: Int) -> Bool {
        bind(port: port) != nil
    }

    /// Binds a socket to 127.0.0.1:`port`, returns the port bound, and closes the socket.
    private static func bind(port: Int) -> Int? {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return nil }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
