import Foundation

/// Parses `multipart/form-data` bodies (RFC 7578) as browsers send them from a form with a file input.
///
/// ```swift
/// let parts = try MultipartFormParser(contentType: "multipart/form-data; boundary=XyZ").parse(bytes)
/// parts.first { $0.name == "file" }?.filename   // "appointments.csv"
/// ```
///
/// Small and strict on purpose: it reads the whole body from memory and understands only the
/// `Content-Disposition` and `Content-Type` headers of each part.
struct MultipartFormParser: Sendable {
    /// One field or file of the form.
    struct Part: Sendable, Equatable {
        let name: String
        /// The file name for a file input (possibly empty when no file was chosen), `nil` for other fields.
        let filename: String?
        let contentType: String?
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Why a body could not be parsed.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    let boundary: String

    /// Reads the boundary from a `Content-Type` header value.
    init(contentType: String) throws {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let kind = pieces.first, kind.lowercased() == "multipart/form-data" else {
            throw Failure(description: "The form must be sent as multipart/form-data.")
        }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                var value = pair[1]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = String(value.dropFirst().dropLast())
                }
                guard !value.isEmpty, value.count <= 70 else { break }
                self.boundary = value
                return
            }
        }
        throw Failure(description: "The multipart/form-data content type has no boundary.")
    }

    init(boundary: String) {
        self.boundary = boundary
    }

    /// All parts of `body`, in order.
    func parse(_ body: [UInt8]) throws -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard var position = Self.find(delimiter, in: body, from: 0) else {
            throw Failure(description: "The multipart body does not contain its boundary.")
        }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if body.count >= position + 2, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") {
                return parts
            }
            // Skip optional whitespace, then the CRLF that ends the delimiter line.
            while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") {
                position += 1
            }
            guard body.count >= position + 2, Array(body[position..<position + 2]) == crlf else {
                throw Failure(description: "A multipart boundary line is malformed.")
            }
            position += 2
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: position) else {
                throw Failure(description: "A multipart part has no end of headers.")
            }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = Self.find(crlf + delimiter, in: body, from: contentStart) else {
                throw Failure(description: "The multipart body ends before its closing boundary.")
            }
            parts.append(try Self.part(headers: headers, body: Array(body[contentStart..<next])))
            position = next + 2
        }
    }

    private static func part(headers: String, body: [UInt8]) throws -> Part {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch pair[0].trimmingCharacters(in: .whitespaces).lowercased() {
            case "content-disposition":
                let parameters = dispositionParameters(value)
                name = parameters["name"]
                filename = parameters["filename"]
            case "content-type":
                contentType = value
            default:
                continue
            }
        }
        guard let name else {
            throw Failure(description: "A multipart part has no Content-Disposition name.")
        }
        return Part(name: name, filename: filename, contentType: contentType, body: body)
    }

    /// `form-data; name="file"; filename="a;b.csv"` → `["name": "file", "filename": "a;b.csv"]`.
    private static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var scalars = Array(value.unicodeScalars)[...]
        func skipSpaces() { while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() } }
        // Skip the disposition type.
        while let first = scalars.first, first != ";" { scalars.removeFirst() }
        while scalars.first == ";" {
            scalars.removeFirst()
            skipSpaces()
            var key = ""
            while let first = scalars.first, first != "=", first != ";" { key.unicodeScalars.append(scalars.removeFirst()) }
            guard scalars.first == "=" else { continue }
            scalars.removeFirst()
            var parsed = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                while let first = scalars.first, first != "\"" {
                    scalars.removeFirst()
                    if first == "\\", let escaped = scalars.first {
                        parsed.unicodeScalars.append(escaped)
                        scalars.removeFirst()
                    } else {
                        parsed.unicodeScalars.append(first)
                    }
                }
                if !scalars.isEmpty { scalars.removeFirst() }
                while let first = scalars.first, first != ";" { scalars.removeFirst() }
            } else {
                while let first = scalars.first, first != ";" { parsed.unicodeScalars.append(scalars.removeFirst()) }
                parsed = parsed.trimmingCharacters(in: .whitespaces)
            }
            result[key.trimmingCharacters(in: .whitespaces).lowercased()] = parsed
        }
        return result
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
