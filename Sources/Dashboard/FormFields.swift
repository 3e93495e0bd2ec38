import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body or a query string, in order.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(urlEncoded text: some StringProtocol) {
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            pairs.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Percent-decodes one component (`+` is a space); invalid escapes are kept as they are.
    static func decode(_ text: some StringProtocol) -> String {
        let spaced = String(text).replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Percent-encodes a value for a query string.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension Request {
    var query: FormFields { FormFields(urlEncoded: uri.query ?? "") }

    /// The posted form, refusing bodies over 256 KB.
    func form() async throws -> FormFields {
        let buffer = try await body.collect(upTo: 256 * 1024)
        return FormFields(urlEncoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }
}
