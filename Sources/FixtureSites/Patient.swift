/// A patient of the clinic's registry.
public struct Patient: Sendable, Hashable {
    /// `P-10001` ... `P-10300`.
    public let id: String
    /// "First Last", sometimes with an apostrophe, an accent or a comma ("Robert Hale, Jr.").
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
