import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for transport tests: it answers every request with the
/// request's method and path, keeps connections alive, and counts the connections it accepted.
/// In `silent` mode it accepts connections and never answers, to provoke time-outs.
final class LoopbackHTTPServer: @unchecked Sendable {
    // @unchecked: `acceptedConnections` is guarded by `lock`; the socket is owned by the accept thread.
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted = 0
    private let silent: Bool

    init(silent: Bool = false) throws {
        self.silent = silent
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    var acceptedConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }

    /// Wakes the accept thread, which then closes the listening socket itself: closing it here could let
    /// a new server reuse the descriptor number while the old thread is still about to `accept` on it.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                close(listener)
                return
            }
            lock.lock()
            accepted += 1
            lock.unlock()
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            if silent { continue }
            pending += buffer[0..<count]
            while let request = takeRequest(&pending) {
                let body = Array("\(request.method) \(request.path) \(request.bodyLength)".utf8)
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Ferry-Test: yes\r\nContent-Length: \(body.count)\r\n\r\n"
                let response = Array(head.utf8) + body
                _ = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            }
        }
    }

    /// Removes one complete request (head + Content-Length body) from `pending`, if one has arrived.
    private func takeRequest(_ pending: inout [UInt8]) -> (method: String, path: String, bodyLength: Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = pending.indices.dropLast(3).first(where: { Array(pending[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: pending[0..<headEnd], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard pending.count >= headEnd + 4 + length else { return nil }
        pending.removeFirst(headEnd + 4 + length)
        return (String(requestLine[0]), String(requestLine[1]), length)
    }
}
