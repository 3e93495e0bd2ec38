/// Line and column arithmetic over raw file bytes, for positions libyaml gives as offsets.
enum TextPosition {
    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    static func of(byteOffset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for index in 0..<min(byteOffset, bytes.count) {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    static func of(byteOffset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        bytes.withUnsafeBufferPointer { of(byteOffset: byteOffset, in: $0) }
    }

    /// The character at a 1-based line and column, if there is one.
    static func character(atLine line: Int, column: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Character? {
        var currentLine = 1
        var start = 0
        var index = 0
        while index < bytes.count, currentLine < line {
            if bytes[index] == 0x0A {
                currentLine += 1
                start = index + 1
            }
            index += 1
        }
        guard currentLine == line else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        let scalars = Array(text.unicodeScalars)
        guard column >= 1, column <= scalars.count else { return nil }
        return Character(scalars[column - 1])
    }
}
