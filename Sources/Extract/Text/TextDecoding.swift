import CLibXML2
import Foundation

/// Works out what encoding a document's bytes are in and brings them to UTF-8, libxml2's and Swift's own.
///
/// The rules, in order: a byte-order mark wins; bytes that are valid UTF-8 are UTF-8 whatever the page
/// declares (legacy pages often declare ISO-8859-1 while serving UTF-8); otherwise the declared encoding
/// when libxml2 knows it, else UTF-8 with the broken bytes replaced when most non-ASCII is valid UTF-8,
/// else Windows-1252.
enum TextDecoding {
    /// What to hand the parser: the original bytes from an offset (no copy), or transcoded bytes.
    enum Prepared {
        /// The original bytes, starting after a byte-order mark, in `encoding` (a libxml2 name).
        case original(offset: Int, encoding: String)
        /// Bytes transcoded to UTF-8 from `encoding`.
        case transcoded([UInt8], from: TextEncoding)
    }

    /// The result of scanning bytes as UTF-8.
    struct UTF8Scan {
        var invalidBytes = 0
        var multibyteSequences = 0
        var isValid: Bool { invalidBytes == 0 }
    }

    /// Decides how to parse `bytes`. `declared` reads the encoding the document declares, if any
    /// (a `<meta charset>` or an XML declaration), and is only asked when the bytes are not UTF-8.
    static func prepare(
        _ bytes: UnsafeRawBufferPointer, forced: TextEncoding? = nil, declared: (UnsafeRawBufferPointer) -> String?
    ) -> Prepared {
        if let forced { return prepare(bytes, as: forced) }
        if let (encoding, length) = byteOrderMark(bytes) {
            return prepare(UnsafeRawBufferPointer(rebasing: bytes[length...]), as: encoding, offset: length)
        }
        let scan = scanUTF8(bytes)
        if scan.isValid { return .original(offset: 0, encoding: "UTF-8") }
        if let label = declared(bytes), TextEncoding(label: label) == nil, isKnownToLibXML(label) {
            return .original(offset: 0, encoding: label)
        }
        if scan.multibyteSequences > scan.invalidBytes { return .original(offset: 0, encoding: "UTF-8") }
        return .transcoded(Windows1252.utf8(from: bytes), from: .windows1252)
    }

    private static func prepare(_ bytes: UnsafeRawBufferPointer, as encoding: TextEncoding, offset: Int = 0) -> Prepared {
        switch encoding {
        case .utf8: return .original(offset: offset, encoding: "UTF-8")
        case .windows1252: return .transcoded(Windows1252.utf8(from: bytes), from: .windows1252)
        case .utf16LittleEndian, .utf16BigEndian:
            let data = Data(bytes)
            let string = String(data: data, encoding: encoding == .utf16LittleEndian ? .utf16LittleEndian : .utf16BigEndian)
            return .transcoded(Array((string ?? "").utf8), from: encoding)
        }
    }

    /// Bytes as a Swift string, with the same detection; `encoding` is what was used.
    static func string(from bytes: UnsafeRawBufferPointer, forced: TextEncoding? = nil) -> (text: String, encoding: TextEncoding) {
        if let forced { return (decode(bytes, as: forced), forced) }
        if let (encoding, length) = byteOrderMark(bytes) {
            return (decode(UnsafeRawBufferPointer(rebasing: bytes[length...]), as: encoding), encoding)
        }
        let scan = scanUTF8(bytes)
        if scan.isValid || scan.multibyteSequences > scan.invalidBytes { return (decode(bytes, as: .utf8), .utf8) }
        return (decode(bytes, as: .windows1252), .windows1252)
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, as encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .windows1252: return Windows1252.utf8(from: bytes).withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        case .utf16LittleEndian, .utf16BigEndian:
            return String(data: Data(bytes), encoding: encoding == .utf16LittleEndian ? .utf16LittleEndian : .utf16BigEndian) ?? ""
        }
    }

    /// The encoding a byte-order mark at the start announces, and the mark's length.
    static func byteOrderMark(_ bytes: UnsafeRawBufferPointer) -> (TextEncoding, Int)? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8, 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LittleEndian, 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BigEndian, 2) }
        return nil
    }

    private static func isKnownToLibXML(_ label: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(label) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// Counts valid multi-byte sequences and invalid bytes, with an 8-bytes-at-a-time path over ASCII.
    static func scanUTF8(_ bytes: UnsafeRawBufferPointer) -> UTF8Scan {
        var scan = UTF8Scan()
        let count = bytes.count
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return scan }
        var index = 0
        while index < count {
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: length = 0
            }
            var valid = length > 0 && index + length <= count
            if valid {
                let second = base[index + 1]
                valid = second >= low && second <= high
                var next = 2
                while valid && next < length {
                    valid = base[index + next] & 0xC0 == 0x80
                    next += 1
                }
            }
            if valid {
                scan.multibyteSequences += 1
                index += length
            } else {
                scan.invalidBytes += 1
                index += 1
            }
        }
        return scan
    }
}
