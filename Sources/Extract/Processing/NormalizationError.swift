/// Why one value could not be normalised: said so a clerk can find and fix the record.
public struct NormalizationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var problem: String

    public init(field: String, value: String, problem: String) {
        self.field = field
        self.value = value
        self.problem = problem
    }

    public var description: String {
        value.isEmpty ? "\(field) is empty, but \(problem)" : "\(field) '\(value)' \(problem)"
    }
}
