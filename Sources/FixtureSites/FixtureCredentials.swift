/// The demo accounts of the fixture sites, printed by `ferry-fixtures` and used by tests and demos.
public struct FixtureCredentials: Sendable {
    /// The clinic portal's user name (`#username`).
    public static let clinicUser = "clerk"
    /// The clinic portal's password (`input[name=pwd]`).
    public static let clinicPassword = "clinic-pass-2003"
    /// The ledger's user name (`#user`).
    public static let ledgerUser = "ops"
    /// The ledger's password (`#password`).
    public static let ledgerPassword = "ledger-pass-1999"
}
