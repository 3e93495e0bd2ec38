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
        // Most values (ids, states, times, names) are printable ASCII with nothing to escape: returned as they
        // are, without rebuilding them scalar by scalar (every value of every page passes here).
        if text.utf8.allSatisfy(Self.passesUnchanged) { return text }
        return HTMLText.escape(text)
    }

    /// An ASCII byte that ``HTMLText/escape(_:)`` leaves as it is: not NUL, not `& < > " '`.
    /// (Every byte of a multi-byte scalar is 0x80 or above, so those texts take the full escape.)
    static func passesUnchanged(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00, 0x80...0xFF, UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): false
        default: true
        }
    }

    /// Registers the content type once, before any template is parsed (the parser looks it up by name).
    static let registered: Void = {
        MustacheContentTypes.register(ScalarHTMLContentType(), named: name)
    }()
}
