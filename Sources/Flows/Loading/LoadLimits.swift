/// The bounds the loader holds every file to, so a hostile or broken file ends in an error, not a
/// crash, a hang or all the memory.
public struct LoadLimits: Hashable, Sendable {
    /// The largest file read, in bytes. Flows are a few kilobytes.
    public var maximumFileSize: Int
    /// How deeply lists and mappings may nest.
    public var maximumDepth: Int
    /// How many YAML nodes (scalars, lists, mappings) one file may hold.
    public var maximumNodes: Int
    /// How deeply includes may include includes.
    public var maximumIncludeDepth: Int

    public init(maximumFileSize: Int = 1_048_576, maximumDepth: Int = 64, maximumNodes: Int = 50_000, maximumIncludeDepth: Int = 8) {
        self.maximumFileSize = maximumFileSize
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
        self.maximumIncludeDepth = maximumIncludeDepth
    }

    public static let standard = LoadLimits()
}
