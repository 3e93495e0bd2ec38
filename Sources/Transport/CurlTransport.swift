import CCurl
import Dispatch
import Foundation
import Logging

/// An ``HTTPTransport`` over one libcurl easy handle, so consecutive requests reuse one kept-alive
/// connection to the remote end.
///
/// `curl_easy_perform` blocks, so each transport performs its requests on its own serial dispatch
/// queue, never on Swift's cooperative thread pool. Requests from several tasks are sent one at a time.
///
/// Related libcurl documentation: https://curl.se/libcurl/c/libcurl-easy.html
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `handle` and `scratch` are touched only on `queue`, which serialises every use.
    private let handle: UnsafeMutableRawPointer
    private let queue: DispatchQueue
    private let defaultTimeout: Duration
    private let connectTimeout: Duration
    private let logger: Logger?

    /// Creates a transport with its own connection.
    /// - Parameters:
    ///   - timeout: the default limit for a whole request.
    ///   - connectTimeout: the limit for establishing a connection.
    ///   - logger: when given, each request is logged at trace level with its duration.
    public init(timeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(5), logger: Logger? = nil) throws(TransportError) {
        _ = CurlTransport.globalInitialization
        guard let handle = curl_easy_init() else {
            throw TransportError(code: .other, method: "-", url: "-", detail: "curl_easy_init failed")
        }
        self.handle = handle
        self.defaultTimeout = timeout
        self.connectTimeout = connectTimeout
        self.logger = logger
        self.queue = DispatchQueue(label: "ferry.transport.curl")
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    private static let globalInitialization: Void = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let result: Result<HTTPResponse, TransportError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.performCatching(request))
            }
        }
        return try result.get()
    }

    /// Sends a request on the calling thread. For callers that already own a thread (benchmarks, C-like loops).
    public func sendBlocking(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        try queue.sync { performCatching(request) }.get()
    }

    private func performCatching(_ request: HTTPRequest) -> Result<HTTPResponse, TransportError> {
        do throws(TransportError) {
            return .success(try perform(request))
        } catch {
            return .failure(error)
        }
    }

    private func perform(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let started = ContinuousClock.now
        curl_easy_reset(handle)
        let collector = ResponseCollector()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // Without this, curl waits for a `100 Continue` before sending bodies over 1 KiB.
        headerList = curl_slist_append(headerList, "Expect:")
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            withExtendedLifetime(collector) {
                let context = Unmanaged.passUnretained(collector).toOpaque()
                ferry_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                ferry_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
                ferry_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
                ferry_curl_setopt_string(handle, CURLOPT_URL, request.url)
                ferry_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
                ferry_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.milliseconds)
                ferry_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, (request.timeout ?? defaultTimeout).milliseconds)
                ferry_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
                ferry_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlCollectBody)
                ferry_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
                ferry_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlCollectHeader)
                ferry_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
                ferry_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
                if request.method == "HEAD" {
                    ferry_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
                }
                if let body = request.body {
                    var bytes = [UInt8](body)
                    bytes.append(0)  // keeps the buffer non-empty, so it has an address even for an empty body
                    return bytes.withUnsafeMutableBytes { buffer in
                        ferry_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                        ferry_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, buffer.baseAddress)
                        return curl_easy_perform(handle)
                    }
                }
                return curl_easy_perform(handle)
            }
        }

        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer).isEmpty ? String(cString: curl_easy_strerror(code)) : String(cString: errorBuffer)
            let error = TransportError(code: Self.errorCode(for: code), method: request.method, url: request.url, detail: detail)
            logger?.trace("\(request.method) \(request.url) failed after \(started.duration(to: .now)): \(detail)")
            throw error
        }
        var status = 0
        ferry_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var connects = 0
        ferry_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        logger?.trace("\(request.method) \(request.url) -> \(status) in \(started.duration(to: .now))")
        return HTTPResponse(status: status, headers: collector.headers, body: collector.body, openedConnection: connects > 0)
    }

    private static func errorCode(for code: CURLcode) -> TransportError.Code {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE: .connectionBroken
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidRequest
        default: .other
        }
    }
}

/// Accumulates one response's headers and body from curl's callbacks.
private final class ResponseCollector {
    var body = Data()
    var headers: [String: String] = [:]
}

private func curlCollectBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    collector.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
}

private func curlCollectHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    let line = UnsafeRawBufferPointer(start: data, count: size * count)
    if line.starts(with: "HTTP/".utf8) {
        collector.headers.removeAll()  // a new response (after a redirect or 100 Continue)
    } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
        // Header lines are ASCII by RFC 9110; trimmed of spaces, tabs and the CRLF without Foundation.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = colon + 1
        var end = line.count
        while start < end, isSpace(line[start]) { start += 1 }
        while end > start, isSpace(line[end - 1]) { end -= 1 }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        collector.headers[name] = String(decoding: line[start..<end], as: UTF8.self)
    }
    return size * count
}

extension Duration {
    /// Whole milliseconds, as curl's `_MS` options take them.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
