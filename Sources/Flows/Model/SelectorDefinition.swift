/// A named selector with its ordered fallbacks.
///
///     selectors:
///       entry:
///         save: ["#save", "text=Save", "xpath=//form[@id='entry-form']//*[@type='submit']"]
///
/// The engine tries the candidates in order and the first that matches wins; it records which one did,
/// so a run that needed a fallback shows the maintainer that the primary has drifted.
public struct SelectorDefinition: Hashable, Sendable {
    /// The dotted key steps use (`entry.save`).
    public var key: String
    /// The candidates, primary first. Never empty.
    public var candidates: [SelectorCandidate]
    /// Where the key was written.
    public var location: SourceLocation

    public init(key: String, candidates: [SelectorCandidate], location: SourceLocation) {
        self.key = key
        self.candidates = candidates
        self.location = location
    }

    /// The selector the page is expected to match.
    public var primary: SelectorCandidate { candidates[0] }
}
