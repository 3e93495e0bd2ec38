import Flows
import Foundation
import Store

/// What a run records of its flow when it starts, so a resume can tell whether the flow it loads is the
/// one the run's checkpoints were written against.
struct FlowFingerprint: Sendable, Equatable {
    /// SHA-256 of the flow's files as loaded: the flow file, then each included file, in include order.
    let sha256: String
    /// The flow's stages and steps, each with a digest of all it says.
    let outline: FlowOutline

    init(_ flow: Flow) {
        var files = Data()
        for path in [flow.file] + flow.includedFiles {
            let bytes = FileManager.default.contents(atPath: path) ?? Data()
            // Each file's length first, so moving text from one file to the next changes the digest.
            files.append(contentsOf: Array("\(bytes.count)\n".utf8))
            files.append(bytes)
        }
        sha256 = FileDigest.sha256(files)
        outline = FlowOutline(stages: flow.stages.map { stage in
            var settings = stage
            settings.steps = []
            settings.description = nil
            return FlowOutline.Stage(
                name: stage.name, digest: Self.digest(settings),
                steps: stage.steps.map { FlowOutline.Step(summary: $0.summary, digest: Self.digest($0)) })
        })
    }

    private static func digest(_ value: Any) -> String {
        String(FileDigest.sha256(Data(CanonicalText.of(value).utf8)).prefix(16))
    }
}
