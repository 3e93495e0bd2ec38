/// How many elements a selector should match: `{ of: results.rows, at_least: 300 }`.
public struct ElementCount: Hashable, Sendable, CustomStringConvertible {
    public var atLeast: Int
    /// No upper bound when nil.
    public var atMost: Int?

    public init(atLeast: Int, atMost: Int? = nil) {
        self.atLeast = atLeast
        self.atMost = atMost
    }

    public var description: String {
        switch atMost {
        case nil: "at least \(atLeast)"
        case atLeast?: "exactly \(atLeast)"
        case let most? where atLeast == 0: "at most \(most)"
        case let most?: "\(atLeast) to \(most)"
        }
    }
}
