/// The text a template rendered to, marked secret when any secret went into it.
///
/// Printing it (`"\(value)"`, a log line, an error) shows `•••` for a secret; only ``text`` holds the
/// real value, for typing into the browser.
public struct RenderedValue: Hashable, Sendable, CustomStringConvertible {
    /// The real text.
    public var text: String
    /// Whether a secret went into it.
    public var isSecret: Bool

    public init(text: String, isSecret: Bool) {
        self.text = text
        self.isSecret = isSecret
    }

    /// The text, or `•••` for a secret.
    public var description: String { isSecret ? Redactor.mask : text }
}
