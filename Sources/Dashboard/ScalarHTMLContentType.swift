import Engine
import Mustache

/// The dashboard's templates escape through ``HTMLText/escape(_:)`` (one Unicode scalar at a time),
/// not swift-mustache's built-in HTML escaping, which works per `Character` and lets a `<` hidden in a
/// grapheme cluster (U+0600 followed by `<`) through. Every template starts with
/// `{{% CONTENT_TYPE: FERRY_HTML }}` to select it.
struct ScalarHTMLContentType: MustacheContentType {
    static let name = "FERRY_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(name) }}"

    func escapeText(_ text: String) -> String {
        HTMLText.escape(text)
    }

    /// Registers the content type once, before any template is parsed (the parser looks it up by name).
    static let registered: Void = {
        MustacheContentTypes.register(ScalarHTMLContentType(), named: name)
    }()
}
