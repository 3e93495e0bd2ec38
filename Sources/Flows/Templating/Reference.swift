/// A name inside `${...}` or a condition: `inputs.date`, `secrets.clinic_password`, `item.patient`.
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    /// The scope: `inputs`, `secrets`, `run`, `stage`, `step`, `vars`, `item`, or a loop's row name.
    public var root: String
    /// The names after the scope (`["date"]` for `inputs.date`).
    public var path: [String]
    /// Where the reference starts, in characters from the start of the template or condition text.
    public var offset: Int

    public init(root: String, path: [String], offset: Int = 0) {
        self.root = root
        self.path = path
        self.offset = offset
    }

    /// The field after the scope, if there is one.
    public var field: String? { path.first }

    /// `inputs.date`.
    public var description: String { ([root] + path).joined(separator: ".") }
}
