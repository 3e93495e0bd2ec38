import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FixtureSites

/// A response as the tests look at it: status, lower-cased headers, body.
struct Page {
    let status: Int
    let headers: [String: String]
    let data: Data
    var body: String { String(decoding: data, as: UTF8.self) }

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The login form's hidden CSRF token.
    var csrfToken: String? { firstMatch(#"name="csrf_token" value="([^"]*)""#) }

    /// The first capture group of `pattern` in the body.
    func firstMatch(_ pattern: String) -> String? {
        allMatches(pattern).first
    }

    /// Every first capture group of `pattern` in the body.
    func allMatches(_ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        let text = body
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

/// A cookie-keeping HTTP client that does not follow redirects, so tests see every 302.
final class WebClient {
    let base: URL
    private(set) var cookies: [String: String] = [:]
    /// The attributes of the last `Set-Cookie` per cookie name, e.g. `Path=/; HttpOnly`.
    private(set) var cookieAttributes: [String: String] = [:]
    private let session: URLSession

    init(_ base: URL) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 15
        self.session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    func get(_ path: String) async throws -> Page {
        try await send(request(path, method: "GET"))
    }

    func post(_ path: String, form: [(String, String)]) async throws -> Page {
        var request = request(path, method: "POST")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&").utf8)
        return try await send(request)
    }

    func post(_ path: String, body: Data, contentType: String) async throws -> Page {
        var request = request(path, method: "POST")
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return try await send(request)
    }

    /// Posts `file` as the multipart field `field`, as a browser's file input does.
    func upload(_ path: String, field: String = "file", filename: String, content: String, extra: [(String, String)] = []) async throws -> Page {
        let boundary = "----FerryTestBoundary7MA4YWxkTrZu0gW"
        var body = ""
        for (name, value) in extra {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        return try await post(path, body: Data(body.utf8), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Fetches the login page and posts it with the token it carries.
    @discardableResult
    func signIn(site: FixtureSite, password: String? = nil) async throws -> Page {
        let form = try await get("/login")
        let token = form.csrfToken ?? ""
        switch site {
        case .clinic:
            return try await post("/login", form: [
                ("csrf_token", token), ("username", FixtureCredentials.clinicUser),
                ("pwd", password ?? FixtureCredentials.clinicPassword), ("next", ""),
            ])
        case .ledger:
            return try await post("/login", form: [
                ("csrf_token", token), ("user", FixtureCredentials.ledgerUser),
                ("password", password ?? FixtureCredentials.ledgerPassword), ("next", ""),
            ])
        }
    }

    private func request(_ path: String, method: String) -> URLRequest {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!.absoluteURL)
        request.httpMethod = method
        if !cookies.isEmpty {
            request.setValue(cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie")
        }
        return request
    }

    private func send(_ request: URLRequest) async throws -> Page {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        if let setCookie = headers["set-cookie"] { remember(setCookie) }
        return Page(status: http.statusCode, headers: headers, data: data)
    }

    /// Reads `Set-Cookie` values (joined with ", " by URLSession); a `Max-Age=0` removes the cookie.
    private func remember(_ header: String) {
        for piece in header.components(separatedBy: ", ") {
            let attributes = piece.components(separatedBy: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let pair = attributes[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[0].contains(" ") else { continue }
            cookieAttributes[pair[0]] = attributes.dropFirst().joined(separator: "; ")
            if attributes.contains(where: { $0.lowercased() == "max-age=0" }) {
                cookies[pair[0]] = nil
            } else {
                cookies[pair[0]] = pair[1]
            }
        }
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Refuses every redirect so the test sees the 302 itself.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
