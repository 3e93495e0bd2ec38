/// A browser cookie, as W3C WebDriver reads and writes them.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#cookies
public struct Cookie: Sendable, Hashable {
    public var name: String
    public var value: String
    public var path: String?
    public var domain: String?
    public var secure: Bool?
    public var httpOnly: Bool?
    /// Seconds since the Unix epoch; `nil` for a session cookie.
    public var expiry: Int?
    public var sameSite: String?

    public init(name: String, value: String, path: String? = nil, domain: String? = nil, secure: Bool? = nil,
                httpOnly: Bool? = nil, expiry: Int? = nil, sameSite: String? = nil) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httpOnly = httpOnly
        self.expiry = expiry
        self.sameSite = sameSite
    }

    init?(_ json: JSONValue) {
        guard let name = json["name"]?.string, let value = json["value"]?.string else { return nil }
        self.init(
            name: name, value: value, path: json["path"]?.string, domain: json["domain"]?.string,
            secure: json["secure"]?.bool, httpOnly: json["httpOnly"]?.bool,
            expiry: json["expiry"]?.number.map { Int($0) }, sameSite: json["sameSite"]?.string)
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "value": .string(value)]
        if let path { object["path"] = .string(path) }
        if let domain { object["domain"] = .string(domain) }
        if let secure { object["secure"] = .bool(secure) }
        if let httpOnly { object["httpOnly"] = .bool(httpOnly) }
        if let expiry { object["expiry"] = .number(Double(expiry)) }
        if let sameSite { object["sameSite"] = .string(sameSite) }
        return .object(object)
    }
}
