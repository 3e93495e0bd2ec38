import Foundation
import Store

/// The page a selector step acted on in a run, as the run kept it.
public struct CapturedPage: Sendable {
    public var stage: String
    /// 1-based.
    public var step: Int
    public var url: String?
    public var path: String
    public var html: String

    public init(stage: String, step: Int, url: String?, path: String, html: String) {
        self.stage = stage
        self.step = step
        self.url = url
        self.path = path
        self.html = html
    }

    /// The pages a run kept (`page:<stage>/<step>` artifacts), by stage and step.
    public static func pages(of runID: String, store: any RunStore) throws(StoreError) -> [String: CapturedPage] {
        var pages: [String: CapturedPage] = [:]
        for artifact in try store.artifacts(runID: runID) where artifact.kind == .pageSource {
            guard let name = artifact.name, name.hasPrefix("page:"), let stage = artifact.stage, let step = artifact.step,
                let data = FileManager.default.contents(atPath: artifact.path)
            else { continue }
            let html = String(decoding: data, as: UTF8.self)
            pages[key(stage: stage, step: step + 1)] = CapturedPage(stage: stage, step: step + 1, url: url(in: html), path: artifact.path, html: html)
        }
        return pages
    }

    static func key(stage: String, step: Int) -> String { "\(stage)/\(step)" }

    /// The URL from the comment Ferry writes on a captured page's first line.
    static func url(in html: String) -> String? {
        let marker = "<!-- captured by Ferry from "
        guard html.hasPrefix(marker), let line = html.split(separator: "\n", maxSplits: 1).first else { return nil }
        return line.dropFirst(marker.count).split(separator: " ").first.map(String.init)
    }
}
