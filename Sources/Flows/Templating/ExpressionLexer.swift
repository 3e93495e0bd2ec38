/// Splits an expression into tokens: names, numbers, quoted texts, durations and symbols.
struct ExpressionLexer {
    struct Token: Equatable {
        enum Kind: Equatable {
            case name
            case number
            case text
            case duration(FlowDuration)
            case symbol
            case end
        }

        var kind: Kind
        /// The name, number, symbol or the unquoted text.
        var text: String
        /// Characters from the start of the whole template or condition.
        var offset: Int
    }

    /// The longest expression accepted, so a hostile file cannot make parsing slow.
    static let maximumLength = 2000

    static func tokens(_ source: Substring, startingAt base: Int) throws(TemplateSyntaxError) -> [Token] {
        let characters = Array(source)
        guard characters.count <= maximumLength else {
            throw TemplateSyntaxError("the expression is longer than \(maximumLength) characters; split it up", at: base)
        }
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let offset = base + index
            if character.isWhitespace {
                index += 1
            } else if character.isLetter || character == "_" {
                let start = index
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                    index += 1
                }
                tokens.append(Token(kind: .name, text: String(characters[start..<index]), offset: offset))
            } else if character.isASCII, character.isNumber {
                let start = index
                while index < characters.count, characters[index].isASCII,
                    characters[index].isNumber || characters[index].isLetter || characters[index] == "."
                {
                    index += 1
                }
                let text = String(characters[start..<index])
                if text.allSatisfy({ $0.isNumber || $0 == "." }) {
                    guard text.filter({ $0 == "." }).count <= 1, text.last != "." else {
                        throw TemplateSyntaxError("'\(text)' is not a number", at: offset)
                    }
                    tokens.append(Token(kind: .number, text: text, offset: offset))
                } else if let duration = FlowDuration(parsing: text) {
                    tokens.append(Token(kind: .duration(duration), text: text, offset: offset))
                } else {
                    throw TemplateSyntaxError("'\(text)' is not a number or a duration; \(FlowDuration.formatHint)", at: offset)
                }
            } else if character == "'" || character == "\"" {
                var text = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "\\", index + 1 < characters.count,
                        characters[index + 1] == character || characters[index + 1] == "\\"
                    {
                        // Only the quote and the backslash are escaped; '\d' stays as written, for patterns.
                        text.append(characters[index + 1])
                        index += 2
                    } else if characters[index] == character {
                        closed = true
                        index += 1
                        break
                    } else {
                        text.append(characters[index])
                        index += 1
                    }
                }
                guard closed else { throw TemplateSyntaxError("the quoted text is never closed; add \(character)", at: offset) }
                tokens.append(Token(kind: .text, text: text, offset: offset))
            } else {
                let pair = index + 1 < characters.count ? String(characters[index...index + 1]) : ""
                switch pair {
                case "==", "!=", "<=", ">=":
                    tokens.append(Token(kind: .symbol, text: pair, offset: offset))
                    index += 2
                    continue
                case "&&": throw TemplateSyntaxError("write 'and' instead of '&&'", at: offset)
                case "||": throw TemplateSyntaxError("write 'or' instead of '||'", at: offset)
                default: break
                }
                switch character {
                case "(", ")", ".", "|", "+", "-", ",", "<", ">":
                    tokens.append(Token(kind: .symbol, text: String(character), offset: offset))
                    index += 1
                case "=": throw TemplateSyntaxError("write '==' to compare", at: offset)
                case "!": throw TemplateSyntaxError("write 'not' instead of '!'", at: offset)
                default: throw TemplateSyntaxError("unexpected character '\(character)'", at: offset)
                }
            }
        }
        tokens.append(Token(kind: .end, text: "", offset: base + characters.count))
        return tokens
    }
}
