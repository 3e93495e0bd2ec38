/// Breaks flow files the ways people and tools do: typos, lost and repeated lines, stray YAML syntax,
/// bad indentation, truncation, flipped bytes.
struct FlowMutator {
    var random: SplitMix64

    /// Fragments of YAML and flow syntax to drop in at random.
    static let tokens = [
        "[", "]", "{", "}", ": ", "- ", "&x ", "*x", "!!str ", "'", "\"", " #", "\t", "${", "}", "\u{0}", "? ", "---\n",
        "|\n", "%YAML 1.1\n", "\\", "${inputs.", "${secrets.nope}", "xpath=//[", "text=", "on_error: review\n",
        "side_effect: true\n", "timeout: 10 s\n", "- include: ../../../../etc/passwd.yaml\n", "- include: clinic-daily-sync.yaml\n",
        "  - click: nowhere\n", "retry: { attempts: 99 }\n", "for_each_item: { workers: 0 }\n", "\u{FEFF}", "é", "💥",
    ]

    /// Words of the format, swapped for one another.
    static let words = [
        "flow", "fragment", "stages", "steps", "name", "click", "fill", "goto", "expect", "wait", "items", "read", "into",
        "value", "timeout", "retry", "on_error", "session", "for_each_item", "selectors", "inputs", "secrets", "include",
    ]

    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch Int.random(in: 0..<9, using: &random) {
        case 0:
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...5, using: &random) where !mutated.isEmpty {
                mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            return mutated
        case 1 where !lines.isEmpty:
            lines.remove(at: Int.random(in: 0..<lines.count, using: &random))
        case 2 where !lines.isEmpty:
            let index = Int.random(in: 0..<lines.count, using: &random)
            lines.insert(lines[index], at: index)
        case 3 where lines.count > 1:
            lines.swapAt(Int.random(in: 0..<lines.count, using: &random), Int.random(in: 0..<lines.count, using: &random))
        case 4:
            let scalars = Array(text.unicodeScalars)
            let at = Int.random(in: 0...scalars.count, using: &random)
            text = String(String.UnicodeScalarView(scalars[..<at])) + Self.tokens.randomElement(using: &random)!
                + String(String.UnicodeScalarView(scalars[at...]))
            return Array(text.utf8)
        case 5:
            return Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 6 where !lines.isEmpty:
            let index = Int.random(in: 0..<lines.count, using: &random)
            if Bool.random(using: &random) {
                lines[index] = String(repeating: " ", count: Int.random(in: 1...4, using: &random)) + lines[index]
            } else {
                lines[index] = String(lines[index].drop { $0 == " " })
            }
        case 7:
            let from = Self.words.randomElement(using: &random)!
            let to = Bool.random(using: &random) ? Self.words.randomElement(using: &random)! : String(from.dropLast())
            if let range = text.range(of: from) { text.replaceSubrange(range, with: to) }
            return Array(text.utf8)
        default:
            var mutated = self
            var once = mutated.mutate(bytes)
            once = mutated.mutate(once)
            self = mutated
            return once
        }
        return Array(lines.joined(separator: "\n").utf8)
    }
}
