/// `expired_when:`, on a session stage or under `defaults:`.
extension FlowDecoder {
    /// `expired_when: { url: "/login", element: login.form }`: a URL pattern, a selector key, or both.
    func expiryCondition(_ node: YAMLNode) -> ExpiryCondition? {
        guard let mapping = mapping(node, "'expired_when'") else { return nil }
        var fields = MappingFields(mapping, what: "'expired_when'")
        let url = fields.take("url").flatMap { pattern($0, "'url' (a regular expression for the login page's URL)") }
        let element = fields.take("element").flatMap { selector($0, "'element' (a selector key of the login form)") }
        finish(fields)
        guard fields.has("url") || fields.has("element") else {
            error(
                .missingKey, at: mapping.location,
                "'expired_when' needs 'url' (a regular expression the login page's URL matches), 'element' (a selector key of its login form), or both")
            return nil
        }
        guard url != nil || element != nil else { return nil }
        return ExpiryCondition(url: url, element: element, location: mapping.location)
    }

    /// A stage's `expired_when:`, which only a session stage may carry.
    func stageExpiryCondition(_ fields: inout MappingFields, stage name: String?, isSession: Bool) -> ExpiryCondition? {
        guard let node = fields.take("expired_when") else { return nil }
        let condition = expiryCondition(node)
        if !isSession, let location = fields.keyLocation("expired_when") {
            error(
                .invalidPolicy, at: location,
                "'expired_when' says how a login shows it has run out, but stage '\(name ?? "?")' does not log in; put it on the 'session: true' stage, or under 'defaults:' for every session stage")
            return nil
        }
        return condition
    }
}
