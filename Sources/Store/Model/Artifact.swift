import Foundation

/// A file a run produced or used: a download, a failure screenshot, a saved page source, a report.
public struct Artifact: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case download, screenshot, pageSource = "page_source", upload, report
    }

    public var id: Int64
    public var runID: String
    public var kind: Kind
    public var path: String
    public var size: Int
    public var sha256: String
    /// The stage and step that made it, and the item it was for.
    public var stage: String?
    public var step: Int?
    public var itemKey: String?
    /// The name the flow gave it (`appointments.csv`), so a resumed run can find it again.
    public var name: String?
    public var createdAt: Date

    public init(id: Int64 = 0, runID: String, kind: Kind, path: String, size: Int, sha256: String, stage: String? = nil,
                step: Int? = nil, itemKey: String? = nil, name: String? = nil, createdAt: Date = Date()) {
        self.id = id
        self.runID = runID
        self.kind = kind
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.stage = stage
        self.step = step
        self.itemKey = itemKey
        self.name = name
        self.createdAt = createdAt
    }
}
