/// Cookies of the current page's domain.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#cookies
extension WebDriverSession {
    public func cookies() async throws(WebDriverError) -> [Cookie] {
        (try await client.execute("GET", path + "/cookie").array ?? []).compactMap(Cookie.init)
    }

    /// The named cookie, or `nil` when the page has none of that name.
    public func cookie(named name: String) async throws(WebDriverError) -> Cookie? {
        do throws(WebDriverError) {
            return Cookie(try await client.execute("GET", path + "/cookie/\(name)"))
        } catch where error.code == .noSuchCookie {
            return nil
        }
    }

    public func addCookie(_ cookie: Cookie) async throws(WebDriverError) {
        try await client.execute("POST", path + "/cookie", ["cookie": cookie.json])
    }

    public func deleteCookie(named name: String) async throws(WebDriverError) {
        try await client.execute("DELETE", path + "/cookie/\(name)")
    }

    public func deleteAllCookies() async throws(WebDriverError) {
        try await client.execute("DELETE", path + "/cookie")
    }
}
