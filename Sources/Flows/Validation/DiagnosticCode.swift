/// The kind of a ``FlowDiagnostic``: an open set of names to match on, as `ExtractError.Code` is.
///
///     if diagnostics.contains(where: { $0.code == .undefinedSelector }) { ... }
public struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }

    // Reading the file.
    /// The file could not be read.
    public static let unreadableFile = DiagnosticCode("unreadable-file")
    /// The file is over the size limit.
    public static let fileTooLarge = DiagnosticCode("file-too-large")
    /// The file is not UTF-8 text, or holds control characters.
    public static let notText = DiagnosticCode("not-text")
    /// The file has no YAML document in it.
    public static let emptyFile = DiagnosticCode("empty-file")

    // YAML structure.
    /// libyaml could not parse the text.
    public static let yamlSyntax = DiagnosticCode("yaml-syntax")
    /// More than one YAML document (`---`) in one file.
    public static let multipleDocuments = DiagnosticCode("multiple-documents")
    /// Collections nested deeper than the loader accepts.
    public static let nestingTooDeep = DiagnosticCode("nesting-too-deep")
    /// More YAML nodes than the loader accepts.
    public static let tooManyNodes = DiagnosticCode("too-many-nodes")
    /// More problems than one check reports.
    public static let tooManyProblems = DiagnosticCode("too-many-problems")
    /// A YAML alias (`*name`); flows share with `include:` instead.
    public static let yamlAlias = DiagnosticCode("yaml-alias")
    /// An explicit YAML tag (`!name`).
    public static let yamlTag = DiagnosticCode("yaml-tag")
    /// A mapping key that is a list or a mapping.
    public static let complexKey = DiagnosticCode("complex-key")
    /// The same key twice in one mapping.
    public static let duplicateKey = DiagnosticCode("duplicate-key")

    // Shape of the flow.
    /// A key the format does not have.
    public static let unknownKey = DiagnosticCode("unknown-key")
    /// A required key is missing.
    public static let missingKey = DiagnosticCode("missing-key")
    /// A value of the wrong kind (text where a list belongs, ...).
    public static let wrongType = DiagnosticCode("wrong-type")
    /// A value of the right kind that is not allowed (an unknown key name, a number out of range, ...).
    public static let invalidValue = DiagnosticCode("invalid-value")
    /// A name that breaks the naming rules.
    public static let invalidName = DiagnosticCode("invalid-name")
    /// Two stages, inputs, variables or columns with one name.
    public static let duplicateName = DiagnosticCode("duplicate-name")
    /// A step whose action is not one of the step kinds.
    public static let unknownStep = DiagnosticCode("unknown-step")
    /// A step with two actions.
    public static let ambiguousStep = DiagnosticCode("ambiguous-step")
    /// A duration that does not parse (`10 s`, `2 minutes`).
    public static let invalidDuration = DiagnosticCode("invalid-duration")
    /// A regular expression that does not compile.
    public static let invalidPattern = DiagnosticCode("invalid-pattern")
    /// More capture names than the pattern has groups.
    public static let captureMismatch = DiagnosticCode("capture-mismatch")

    // Selectors.
    /// A step uses a selector key that `selectors:` does not define.
    public static let undefinedSelector = DiagnosticCode("undefined-selector")
    /// `selectors:` defines a key no step uses.
    public static let unusedSelector = DiagnosticCode("unused-selector")
    /// An input or secret the flow declares but never uses.
    public static let unusedValue = DiagnosticCode("unused-value")
    /// A selector whose CSS or XPath does not parse.
    public static let invalidSelector = DiagnosticCode("invalid-selector")

    // Templates and conditions.
    /// A `${...}` that does not parse.
    public static let invalidTemplate = DiagnosticCode("invalid-template")
    /// An `if:` or `where:` that does not parse.
    public static let invalidCondition = DiagnosticCode("invalid-condition")
    /// A reference to an input, secret, variable or field that does not exist there.
    public static let undefinedReference = DiagnosticCode("undefined-reference")
    /// Text that looks like a template but is not one (`$inputs.date`, `{{date}}`).
    public static let suspiciousText = DiagnosticCode("suspicious-text")

    // Secrets.
    /// A secret written into the flow instead of referenced.
    public static let literalSecret = DiagnosticCode("literal-secret")
    /// A secret used where its value would be shown to people.
    public static let secretExposed = DiagnosticCode("secret-exposed")

    // Behaviour.
    /// An `on_error`, `failure`, retry or side-effect setting that cannot work where it is.
    public static let invalidPolicy = DiagnosticCode("invalid-policy")
    /// A file read or uploaded that no earlier step saves.
    public static let unknownFile = DiagnosticCode("unknown-file")
    /// Work items without a stage to process them, or a per-item stage without items.
    public static let itemsMismatch = DiagnosticCode("items-mismatch")

    // Includes.
    /// An included file that cannot be loaded.
    public static let includeFailed = DiagnosticCode("include-failed")
    /// A file that includes itself, directly or not.
    public static let includeCycle = DiagnosticCode("include-cycle")
    /// A flow and a fragment defining one name differently.
    public static let includeConflict = DiagnosticCode("include-conflict")
}
