/// `items`: turn records into work items, one per record, keyed for the dashboard and idempotency.
///
///     items:
///       from: appointments
///       key: "${row.appointment_id}"
///       where: row.status == 'Completed'
///       join: { with: billing, on: appointment_id, missing: review }
///       join: { with: visits, on: { left: appointment, right: id }, prefix: visit_ }
///
/// Each item carries its record's fields (`${item.patient}`) and `${item.key}`. `join:` (one, or a list)
/// adds the fields of the record in another variable with the same value in `on`; an item without a
/// match goes to needs_review with `reason:` (or is skipped, or fails the run) as `missing:` says. A
/// record that `normalize` marked for review goes to needs_review with that reason. With `duplicates:`,
/// a record repeating an earlier one's values in `on` goes to needs_review too.
public struct ItemsStep: Hashable, Sendable {
    public struct Join: Hashable, Sendable {
        public enum Missing: String, Hashable, Sendable, CaseIterable {
            /// The item is created and goes straight to needs_review, saying which record is missing.
            case review
            /// No item is created for the record.
            case skip
            /// The run fails.
            case fail
        }

        /// The records variable to join.
        public var with: String
        /// The record's field whose value is looked up.
        public var on: String
        /// The field of the records in `with` that must hold that value: `on` unless the two systems
        /// name it differently (`on: { left: appointment, right: id }`).
        public var right: String
        public var missing: Missing
        /// What needs_review says when the match is missing (the record is `row`).
        public var reason: Template?
        /// A field of the match that the record already has is added under this prefix
        /// (`visit_status`) instead of being dropped.
        public var prefix: String?

        public init(with: String, on: String, right: String? = nil, missing: Missing = .review, reason: Template? = nil, prefix: String? = nil) {
            self.with = with
            self.on = on
            self.right = right ?? on
            self.missing = missing
            self.reason = reason
            self.prefix = prefix
        }

        /// The fields a record has once the match's `fields` are added to its `own`.
        public func joinedFields(_ own: [String], _ fields: [String]) -> [String] {
            var result = own
            for field in fields {
                if !result.contains(field) {
                    result.append(field)
                } else if let prefix, !own.contains(prefix + field), !result.contains(prefix + field) {
                    result.append(prefix + field)
                }
            }
            return result
        }

        /// Adds the match's fields to `record`: new ones as they are, clashing ones under the prefix
        /// (or not at all without one). The record's own values always stay.
        public func merge(_ match: [String: String], into record: inout [String: String]) {
            let own = record
            for (field, value) in match where field != NormalizeStep.reviewField {
                if own[field] == nil {
                    record[field] = value
                } else if let prefix, own[prefix + field] == nil {
                    record[prefix + field] = value
                }
            }
        }
    }

    /// Records that repeat the same values in `on` as an earlier record: the later ones go to
    /// needs_review, since entering a double booking twice is worse than asking.
    public struct Duplicates: Hashable, Sendable {
        public var on: [String]
        /// What needs_review says (the record is `row`); Ferry adds which earlier item it repeats.
        public var reason: Template?

        public init(on: [String], reason: Template? = nil) {
            self.on = on
            self.reason = reason
        }
    }

    /// The records variable.
    public var from: String
    /// The item's key, unique within the run: usually the record's id.
    public var key: Template
    /// Only records for which this holds become items; it sees the record with its joined fields.
    public var filter: Condition?
    /// Joined in order; a field the record already has is kept (and the match's added under the
    /// join's prefix, when it has one).
    public var joins: [Join]
    public var duplicates: Duplicates?

    public init(from: String, key: Template, filter: Condition? = nil, joins: [Join] = [], duplicates: Duplicates? = nil) {
        self.from = from
        self.key = key
        self.filter = filter
        self.joins = joins
        self.duplicates = duplicates
    }
}
