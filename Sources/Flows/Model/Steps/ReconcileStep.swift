/// `reconcile`: gates the data must pass before anything is uploaded.
///
///     reconcile:
///       - name: export_complete
///         says: Every appointment on the list pages is in the export
///         figure: { count: appointments }
///         equals: { count: listed }
///       - name: billing_adds_up
///         figure: { sum: billing.amount }
///         equals: { value: billing_report.total }
///       - name: list_complete
///         figure: { count: listed }
///         equals: { value: shown_total }      # captured from the page's "(300 total)"
///       - name: daily_volume
///         figure: { count: appointments }
///         within: 50%
///         baseline: "${inputs.date | date('EEEE')}"
///
/// `equals` compares two figures of this run (within `tolerance`, 0 unless given); `within` compares
/// the figure with the same gate's figure in the last completed run of the flow (with the same
/// `baseline` text, when given: the same weekday, say). A failed gate stops the run, with both figures
/// in the error and the audit log; a passed one records its figures for the next run to compare with.
public struct ReconcileStep: Hashable, Sendable {
    /// A number taken from records.
    public enum Figure: Hashable, Sendable, CustomStringConvertible {
        /// How many records.
        case count(records: String)
        /// The sum of a numeric field over the records (empty counts 0).
        case sum(records: String, field: String)
        /// A field of a variable holding exactly one record (a report's footer, a page's summary).
        case value(records: String, field: String)
        /// A value captured from a page (`expect … capture:`, `set`, a script's `into`): the page's
        /// own count, like the 300 of "(300 total)".
        case captured(variable: String)

        /// The variable the figure is taken from (records, or text for a captured value).
        public var records: String {
            switch self {
            case .count(let records), .sum(let records, _), .value(let records, _): records
            case .captured(let variable): variable
            }
        }

        public var field: String? {
            switch self {
            case .count, .captured: nil
            case .sum(_, let field), .value(_, let field): field
            }
        }

        public var description: String {
            switch self {
            case .count(let records): "count of \(records)"
            case .sum(let records, let field): "sum of \(records).\(field)"
            case .value(let records, let field): "\(records).\(field)"
            case .captured(let variable): "vars.\(variable)"
            }
        }
    }

    public struct Gate: Hashable, Sendable {
        /// snake_case: the key its figures are kept under from run to run.
        public var name: String
        /// What the gate makes sure of, in words operators read.
        public var says: String?
        public var figure: Figure
        public var equals: Figure?
        /// How far apart `figure` and `equals` may be (absolute).
        public var tolerance: Double
        /// How far, in percent, the figure may move from the last completed run's.
        public var withinPercent: Double?
        /// Only runs whose baseline text rendered the same are compared (e.g. the weekday).
        public var baseline: Template?
        public var location: SourceLocation

        public init(
            name: String, says: String? = nil, figure: Figure, equals: Figure? = nil, tolerance: Double = 0,
            withinPercent: Double? = nil, baseline: Template? = nil, location: SourceLocation
        ) {
            self.name = name
            self.says = says
            self.figure = figure
            self.equals = equals
            self.tolerance = tolerance
            self.withinPercent = withinPercent
            self.baseline = baseline
            self.location = location
        }
    }

    public var gates: [Gate]

    public init(gates: [Gate]) { self.gates = gates }
}
