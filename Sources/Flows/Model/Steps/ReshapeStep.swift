/// `reshape`: rename, compute, filter and project the fields of records, in place or into a new
/// variable, so a flow never writes a file only to read it back under other names.
///
///     reshape:
///       records: invoices
///       into: lines                                   # in place unless given
///       where: row.status != 'void'                   # only these records are kept
///       rename: { appointment: appointment_id }       # old name: new name
///       add: { day: "${row.start | date('yyyy-MM-dd')}" }   # computed; the renamed record is `row`
///       keep: [appointment_id, amount, day]            # the fields the records end up with
///
/// In that order: `where` sees the records as they are, `rename` renames, `add` computes new fields
/// from the renamed record, and `keep` (when given) drops every other field. A record `normalize`
/// marked for review keeps its mark.
public struct ReshapeStep: Hashable, Sendable {
    /// One field renamed.
    public struct Rename: Hashable, Sendable {
        public var from: String
        public var to: String
        public var location: SourceLocation

        public init(from: String, to: String, location: SourceLocation) {
            self.from = from
            self.to = to
            self.location = location
        }
    }

    /// The records variable read.
    public var records: String
    /// The variable written: `records` itself unless given.
    public var into: String?
    /// Only records for which this holds are kept.
    public var filter: Condition?
    public var renames: [Rename]
    /// New fields, each a template with the (renamed) record as `row`.
    public var additions: [NamedTemplate]
    /// The fields kept, after renaming and adding; every field when nil.
    public var keep: [String]?

    public init(records: String, into: String? = nil, filter: Condition? = nil, renames: [Rename] = [], additions: [NamedTemplate] = [], keep: [String]? = nil) {
        self.records = records
        self.into = into
        self.filter = filter
        self.renames = renames
        self.additions = additions
        self.keep = keep
    }

    /// The variable the reshaped records are kept in.
    public var target: String { into ?? records }

    /// The fields the records have after renaming (before `add` and `keep`), from the fields they had.
    public func renamedFields(_ fields: [String]) -> [String] {
        fields.map { field in renames.first { $0.from == field }?.to ?? field }
    }

    /// The fields the records end up with, from the fields they had.
    public func resultFields(_ fields: [String]) -> [String] {
        keep ?? (renamedFields(fields) + additions.map(\.name).filter { !renamedFields(fields).contains($0) })
    }
}
