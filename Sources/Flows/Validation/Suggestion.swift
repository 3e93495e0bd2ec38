/// "Did you mean" for misspelled names: the closest candidate within a few edits.
public enum Suggestion {
    /// The candidate closest to `word`, if one is close enough to be a typo of it.
    ///
    /// Distance is optimal-string-alignment (insertions, deletions, substitutions and swapped
    /// neighbours each cost one), case-insensitive; a name may be off by about one edit in three characters.
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let lowered = Array(word.lowercased())
        guard !lowered.isEmpty, lowered.count <= 200 else { return nil }
        let allowed = max(1, min(3, lowered.count / 3))
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != word {
            let other = Array(candidate.lowercased())
            guard abs(other.count - lowered.count) <= allowed else { continue }
            let distance = editDistance(lowered, other)
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (distance, candidate)
            }
        }
        return best?.name
    }

    /// `"; did you mean 'x'?"`, or nothing.
    static func didYouMean<S: Sequence>(_ word: String, in candidates: S) -> String where S.Element == String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

extension Sequence where Element == String {
    /// `'a', 'b' or 'c'`, for messages that list what is allowed.
    func quotedList(conjunction: String = "or") -> String {
        let quoted = map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
    }
}
