import Foundation
import Store
import Synchronization
import WebDriver

/// Keeps the page each selector step acted on, once per step per run, so a maintainer can check an
/// edited selector against real pages without a browser (`ferry doctor --offline`).
///
/// Saved as `<run>/pages/<stage>-<step>.html` with the page's URL, secrets redacted, and recorded as
/// `page_source` artifacts named `page:<stage>/<step>`. Resumed runs keep what they already have.
final class PageCapture: Sendable {
    private let folder: String
    private let runID: String
    private let store: any RunStore
    private let taken: Mutex<Set<String>>
    /// Sessions whose page was kept and has not changed since: the steps that follow act on the same page.
    private let current = Mutex<Set<String>>([])

    init(folder: String, runID: String, store: any RunStore) {
        self.folder = folder + "/pages"
        self.runID = runID
        self.store = store
        let earlier = ((try? store.artifacts(runID: runID)) ?? []).compactMap { artifact -> String? in
            artifact.kind == .pageSource ? artifact.name.flatMap { $0.hasPrefix("page:") ? String($0.dropFirst(5)) : nil } : nil
        }
        taken = Mutex(Set(earlier))
    }

    static func artifactName(stage: String, step: Int) -> String { "page:\(stage)/\(step)" }

    /// A step that may change the page ran in this session: the next selector step keeps a new one.
    func pageChanged(in session: WebDriverSession) {
        _ = current.withLock { $0.remove(session.id) }
    }

    /// Saves the session's page for this step unless a worker already did, or the page kept for an
    /// earlier step of this session is still the page (`ferry doctor` looks back to it); never fails the run.
    func capture(session: WebDriverSession, stage: String, step: Int, fresh: Bool = false, redact: (String) -> String) async {
        let key = "\(stage)/\(step)"
        guard fresh || !current.withLock({ $0.contains(session.id) }) else { return }
        // Another worker kept this step's page: the same step shows every worker the same kind of page.
        current.withLock { _ = $0.insert(session.id) }
        guard taken.withLock({ $0.insert(key).inserted }) else { return }
        guard let source = try? await session.pageSource() else {
            taken.withLock { _ = $0.remove(key) }
            return
        }
        // Inside a frame the page is the frame's own document, and so is its address.
        var url = (try? await session.executeScript("return document.URL"))?.string
        if url == nil { url = try? await session.currentURL() }
        let html = "<!-- captured by Ferry from \(redact(url ?? "")) before stage \(stage) step \(step) -->\n" + redact(source)
        let data = Data(html.utf8)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Not an atomic write: that syncs each page to disk, and a page is evidence, not state. A
            // crash mid-write leaves a file no artifact names; a resumed run keeps its page beside it.
            guard let path = NonOverwritingFile.write(data, to: folder + "/" + FailureEvidence.safe("\(stage)-\(step)") + ".html") else {
                taken.withLock { _ = $0.remove(key) }
                return
            }
            _ = try store.recordArtifact(
                Artifact(runID: runID, kind: .pageSource, path: path, size: data.count, sha256: FileDigest.sha256(data), stage: stage,
                         step: step - 1, name: Self.artifactName(stage: stage, step: step)),
                actor: "engine")
        } catch {
            taken.withLock { _ = $0.remove(key) }
        }
    }
}
