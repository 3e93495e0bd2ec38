/// Windows-1252, the single-byte encoding of Western-European legacy systems, decoded to Unicode.
///
/// 0x00–0x7F are ASCII and 0xA0–0xFF are Latin-1; 0x80–0x9F hold typographic characters (`€`, `‘`, `–`).
/// The five bytes Windows-1252 leaves undefined map to the C1 control of the same value, as browsers do.
///
/// Related specification: https://encoding.spec.whatwg.org/index-windows-1252.txt
enum Windows1252 {
    /// The Unicode scalars of bytes 0x80–0x9F.
    static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The scalar one byte stands for.
    @inline(__always)
    static func scalar(_ byte: UInt8) -> UInt32 {
        (byte >= 0x80 && byte < 0xA0) ? high[Int(byte) - 0x80] : UInt32(byte)
    }

    /// The bytes transcoded to UTF-8.
    static func utf8(from bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else {
                UTF8.encode(Unicode.Scalar(scalar(byte))!) { output.append($0) }
            }
        }
        return output
    }
}

extension Windows1252 {
    /// A string encoded as Windows-1252; characters it cannot represent become `?`.
    static func encode(_ string: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            let value = scalar.value
            if value < 0x80 || (value >= 0xA0 && value <= 0xFF) {
                output.append(UInt8(value))
            } else if let index = high.firstIndex(of: value) {
                output.append(UInt8(0x80 + index))
            } else {
                output.append(UInt8(ascii: "?"))
            }
        }
        return output
    }
}
