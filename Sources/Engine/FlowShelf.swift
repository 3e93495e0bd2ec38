import Flows
import Foundation

/// The flow files of a folder (`ferry worker --flows DIR`), found by the name a run recorded and the
/// fingerprint of the flow it started with: a worker never works a run's items with other steps than
/// the run's own.
final class FlowShelf: @unchecked Sendable {
    // @unchecked: used by one task at a time (the worker's loop).
    private let directory: String
    private var flows: [String: [(flow: Flow, sha256: String)]] = [:]
    private var lastScan: ContinuousClock.Instant?

    init(directory: String) {
        self.directory = directory
    }

    /// The flow named `name` whose fingerprint is `sha256` (any, when the run recorded none); the folder
    /// is read again when it has no such flow, at most every few seconds.
    func flow(named name: String, sha256: String?) -> Flow? {
        if let found = lookUp(name, sha256) { return found }
        if let lastScan, ContinuousClock.now - lastScan < .seconds(10) { return nil }
        scan()
        return lookUp(name, sha256)
    }

    /// Why `flow(named:sha256:)` found nothing, for the worker's log.
    func absence(of name: String) -> String {
        flows[name] == nil
            ? "no flow file in \(directory) is named \(name)"
            : "the flow \(name) in \(directory) differs from the one the run started with (its stages or steps changed)"
    }

    private func lookUp(_ name: String, _ sha256: String?) -> Flow? {
        flows[name]?.first { sha256 == nil || $0.sha256 == sha256 }?.flow
    }

    private func scan() {
        lastScan = .now
        var found: [String: [(flow: Flow, sha256: String)]] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in names.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            guard let flow = try? FlowLoader.load(path: directory + "/" + file) else { continue }
            found[flow.name, default: []].append((flow, FlowFingerprint(flow).sha256))
        }
        flows = found
    }
}
