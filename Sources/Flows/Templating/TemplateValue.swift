/// A value a template can insert: text, or the records a step read, marked when it came from a secret.
///
/// The secret mark travels with the value through templating (`"Bearer ${secrets.token}"` renders to
/// a secret value too), so the engine knows what to redact wherever the value could appear.
public struct TemplateValue: Hashable, Sendable, CustomStringConvertible {
    public enum Content: Hashable, Sendable {
        case text(String)
        /// Rows of named fields, as `read`, `extract` and `items` produce them.
        case records([[String: String]])
    }

    public var content: Content
    /// Whether any part of the value came from `secrets:`.
    public var isSecret: Bool

    public init(_ content: Content, isSecret: Bool = false) {
        self.content = content
        self.isSecret = isSecret
    }

    /// Plain text.
    public static func text(_ text: String) -> TemplateValue { TemplateValue(.text(text)) }

    /// Text that must never be shown.
    public static func secret(_ text: String) -> TemplateValue { TemplateValue(.text(text), isSecret: true) }

    /// Records.
    public static func records(_ records: [[String: String]]) -> TemplateValue { TemplateValue(.records(records)) }

    /// The text, or nil for records.
    public var text: String? {
        if case .text(let text) = content { return text }
        return nil
    }

    /// Safe to log: a secret prints as `•••`, records as their count.
    public var description: String {
        switch content {
        case .text(let text): isSecret ? Redactor.mask : text
        case .records(let records): "\(records.count) records"
        }
    }
}
