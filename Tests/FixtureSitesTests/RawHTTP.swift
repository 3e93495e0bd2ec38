import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP client for what URLSession cannot show: a response that never ends, a closed port.
/// Blocking socket calls run on their own thread, never on Swift's cooperative pool.
enum RawHTTP {
    struct Result {
        /// Everything received (head and body).
        let text: String
        /// Whether the server closed the connection within the window.
        let closedByServer: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `GET path` with `headers` and collects what arrives within `window`. With `until`, stops
    /// `settle` after the text first satisfies it, so a loaded machine gets the whole window to answer
    /// and a quick one does not wait it out.
    static func get(port: Int, path: String, headers: [String: String] = [:], window: Duration,
                    until done: (@Sendable (String) -> Bool)? = nil, settle: Duration = .milliseconds(500)) async throws -> Result {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = request
        func milliseconds(_ duration: Duration) -> Int {
            Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        let settleMilliseconds = milliseconds(settle)
        let milliseconds = milliseconds(window)
        return try await onThread {
            let socket = try connectSocket(port: port)
            defer { close(socket) }
            _ = bytes.withCString { send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            var received: [UInt8] = []
            var closed = false
            var deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
            var settled = false
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !closed {
                let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                if remaining == 0 { break }
                var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, remaining) > 0 else { break }
                let count = recv(socket, &buffer, buffer.count, 0)
                if count <= 0 { closed = true } else { received += buffer[0..<count] }
                if let done, !settled, done(String(decoding: received, as: UTF8.self)) {
                    settled = true
                    deadline = min(deadline, Date().addingTimeInterval(Double(settleMilliseconds) / 1000))
                }
            }
            return Result(text: String(decoding: received, as: UTF8.self), closedByServer: closed)
        }
    }

    /// Whether something accepts connections on `port`.
    static func isListening(port: Int) async -> Bool {
        (try? await onThread { close(try connectSocket(port: port)) }) != nil
    }

    private static func connectSocket(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed (errno \(errno))")
        }
        return socket
    }

    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
        }
    }
}
