/// A record field taken from a report file by an XPath relative to the row: `amount: "amount"`,
/// `appointment_id: "@appointment_id"`.
public struct NamedXPath: Hashable, Sendable {
    public var name: String
    public var xpath: String
    public var location: SourceLocation

    public init(name: String, xpath: String, location: SourceLocation) {
        self.name = name
        self.xpath = xpath
        self.location = location
    }
}
