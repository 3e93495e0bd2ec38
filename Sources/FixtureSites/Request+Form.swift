import Hummingbird

extension Request {
    /// The decoded query string.
    var queryFields: FormFields {
        FormFields(urlEncoded: uri.query ?? "")
    }

    /// The `Content-Type` header, or the empty string.
    var contentType: String {
        headers[.contentType] ?? ""
    }

    /// The whole body as bytes, refusing bodies larger than `limit` with HTTP 413.
    func bodyBytes(limit: Int) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    /// The fields of an `application/x-www-form-urlencoded` post.
    func urlEncodedForm(limit: Int = 256 * 1024) async throws -> FormFields {
        FormFields(urlEncoded: String(decoding: try await bodyBytes(limit: limit), as: UTF8.self))
    }
}
