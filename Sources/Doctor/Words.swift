import Flows

/// The words of selectors, ids and labels, and how close two of them are: the same word, its plural
/// or a longer form of it (`confirm`, `confirmation`), a typo, or a common synonym in web forms.
enum Words {
    /// Lowercase words, split on anything not a letter or digit and on camelCase; words of one or two
    /// letters are dropped (they say nothing: `go`, `in`, `q`) unless they are known abbreviations.
    static func of(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        func finish() {
            let word = current.lowercased()
            if word.count > 2 || synonyms[word] != nil { words.append(word) }
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isUppercase, previousLower, !current.isEmpty { finish() }
                current.append(character)
                previousLower = character.isLowercase
            } else {
                if !current.isEmpty { finish() }
                previousLower = false
            }
        }
        if !current.isEmpty { finish() }
        return words
    }

    /// The words, with each pair of neighbours also written as one (`user name` → `username`).
    static func withCompounds(_ words: [String]) -> Set<String> {
        var all = Set(words)
        for (first, second) in zip(words, words.dropFirst()) { all.insert(first + second) }
        return all
    }

    /// Words that name how a thing is built, not what it is for.
    static let structural: Set<String> = [
        "input", "button", "btn", "link", "lnk", "field", "fld", "txt", "text", "box", "area", "div", "span", "form", "frm",
        "type", "name", "class", "the", "and", "for", "cmd", "ctl", "xpath", "normalize", "space", "contains", "self",
        "table", "tbl", "tbody", "td", "tr", "th", "li", "ul", "ol", "img", "icon", "label", "wrapper", "container", "main",
    ]

    /// Groups of words that mean the same on a web form.
    private static let groups: [[String]] = [
        ["password", "pwd", "passwd", "pass", "secret", "pin"],
        ["user", "username", "login", "account", "userid"],
        ["query", "search", "term", "find", "keyword", "keywords", "q"],
        ["save", "store", "submit", "apply"],
        ["delete", "remove", "trash", "bin", "del"],
        ["refresh", "reload", "update"],
        ["next", "forward", "more"],
        ["previous", "prev", "back"],
        ["confirmation", "confirm", "notice", "success", "saved"],
        ["error", "errors", "alert", "warning", "problem", "invalid"],
        ["export", "download"],
        ["upload", "import", "attach", "attachment"],
        ["file", "attachment", "document", "csv"],
        ["amount", "total", "sum", "price"],
        ["notes", "note", "remarks", "comment", "comments", "memo"],
        ["summary", "count", "total", "results"],
        ["cancel", "close", "dismiss"],
        ["logout", "signout", "logoff"],
        ["email", "mail", "e-mail"],
        ["phone", "tel", "telephone", "mobile"],
    ]

    private static let synonyms: [String: Set<String>] = {
        var map: [String: Set<String>] = [:]
        for group in groups {
            for word in group { map[word, default: []].formUnion(group.filter { $0 != word }) }
        }
        return map
    }()

    /// How well `term` is matched by `word`: 1 the same, 0.9 a plural or longer form, 0.8 a typo,
    /// 0.6 a synonym, 0 unrelated.
    static func similarity(_ term: String, _ word: String) -> Double {
        if term == word { return 1 }
        let (short, long) = term.count <= word.count ? (term, word) : (word, term)
        if short.count >= 4, long.hasPrefix(short) { return 0.9 }
        if short.count >= 5, Suggestion.closest(to: term, in: [word]) != nil { return 0.8 }
        if synonyms[term]?.contains(word) == true { return 0.6 }
        return 0
    }

    /// The best match of `term` among `words`.
    static func best(_ term: String, in words: Set<String>) -> Double {
        if words.contains(term) { return 1 }
        return words.reduce(0) { max($0, similarity(term, $1)) }
    }

    /// The share of `terms` that `words` holds (each term counted by its best match), with the terms matched.
    static func coverage(of terms: Set<String>, in words: Set<String>) -> (share: Double, matched: [String]) {
        guard !terms.isEmpty else { return (0, []) }
        var total = 0.0
        var matched: [String] = []
        for term in terms.sorted() {
            let score = best(term, in: words)
            total += score
            if score > 0 { matched.append(term) }
        }
        return (total / Double(terms.count), matched)
    }
}
