import Flows

/// What the doctor found for one selector key at one step that uses it.
public struct SelectorFinding: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// The primary matches exactly one element.
        case ok
        /// The primary matches several elements; the flow acts on the first.
        case ambiguous(count: Int)
        /// The primary matches nothing, but a fallback does: the UI drifted; the flow still runs.
        case drift(fallback: Int)
        /// Nothing in the key matches: the step will fail.
        case broken
        /// Nothing matches, which the step allows: it expects the element to be absent, or the
        /// element is optional (a "next page" link on the last page).
        case absentAsAllowed(String)
        /// The page was not seen (the run did not reach the step) or the selector cannot be checked without a browser.
        case unchecked(String)
    }

    /// How often each candidate matched, in the order the flow lists them.
    public struct Match: Sendable, Hashable {
        public var candidate: String
        public var count: Int?
    }

    public var key: String
    public var stage: String
    /// 1-based.
    public var step: Int
    public var location: SourceLocation
    public var pageURL: String?
    /// The kept page it was checked on.
    public var pagePath: String?
    public var status: Status
    public var matches: [Match]
    /// For a broken or drifted primary: selectors for elements on the page that look like what it meant.
    public var suggestions: [Suggestion]

    /// A selector that matches exactly one element of the page, and why the doctor thinks it is the one.
    public struct Suggestion: Sendable, Hashable {
        public var selector: String
        public var why: String
        /// How sure the doctor is, from 0 to 1: how much the element has of what the selector, its
        /// key and its step say, lowered when another element fits about as well.
        public var confidence: Double
    }

    /// The suggestion the doctor puts in the broken selector's place: the best one, when it is sure
    /// enough (see ``Suggestion/confidence``); nil means no good candidate.
    public var proposal: Suggestion? {
        suggestions.first.flatMap { $0.confidence >= CandidateFinder.proposalThreshold ? $0 : nil }
    }

    public var isBroken: Bool { if case .broken = status { true } else { false } }
    public var isDrift: Bool { if case .drift = status { true } else { false } }
}
