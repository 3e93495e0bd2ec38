import Foundation
import Hummingbird
import NIOCore
import Operators

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

    /// The largest form body accepted (an override of every field of an item fits many times over).
    static let maximumFormBytes = 256 * 1024

    /// The posted form; a body over ``maximumFormBytes`` is answered `413 Content Too Large` with a message.
    func form() async throws -> FormFields {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: Self.maximumFormBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(
                .init(code: 413, reasonPhrase: "Content Too Large"),
                message: "The form is larger than \(Self.maximumFormBytes / 1024) KB; nothing was done. Shorten the values (an override value may have at most \(OperatorActions.maximumValueLength) bytes).")
        }
        return FormFields(urlEncoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }
}
