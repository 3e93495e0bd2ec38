/// `for_each`: run steps once per record of a variable, in order, in the same browser session.
///
///     - for_each:
///         in: pages
///         as: page_row
///         steps:
///           - goto: "${page_row.url}"
///
/// For work that must be tracked, retried and reviewed per record, create `items` and use a
/// `for_each_item` stage instead.
public struct ForEachStep: Hashable, Sendable {
    /// The records variable.
    public var records: String
    /// The name each record has inside the loop (`row` unless given).
    public var variable: String
    public var steps: [Step]

    public init(records: String, variable: String = "row", steps: [Step]) {
        self.records = records
        self.variable = variable
        self.steps = steps
    }
}
