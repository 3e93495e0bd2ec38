/// A value the flow is run with, given by the operator or the schedule, or taken from its default.
///
///     inputs:
///       date:
///         type: date
///         default: "${today - 1d}"
///         description: The day to copy.
public struct FlowInput: Hashable, Sendable {
    /// What kind of value an input holds; the engine checks given values against it.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case text
        /// `yyyy-MM-dd`.
        case date
        case number
        /// `true` or `false`.
        case boolean
        /// An absolute `http://` or `https://` URL, without a trailing slash.
        case url
    }

    public var name: String
    public var kind: Kind
    /// The value when none is given; nil makes the input required.
    public var defaultValue: Template?
    public var description: String?
    public var location: SourceLocation

    public init(name: String, kind: Kind = .text, defaultValue: Template? = nil, description: String? = nil, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.description = description
        self.location = location
    }

    /// Whether a value must be given for each run.
    public var isRequired: Bool { defaultValue == nil }
}
