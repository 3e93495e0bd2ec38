import Engine
import Foundation
import Store

/// Carries out an action's follow-up: resumes a run or starts a new one.
public protocol RunLauncher: Sendable {
    func launch(_ followUp: ActionOutcome.FollowUp, by person: Operator) async throws(OperatorError) -> RunOutcome
}

/// The real launcher: Ferry's engine, with the given browser and folder options; the run is recorded as
/// started or resumed by the operator.
public struct EngineRunLauncher: RunLauncher {
    public let store: any RunStore
    public let options: RunOptions

    public init(store: any RunStore, options: RunOptions) {
        self.store = store
        self.options = options
    }

    public func launch(_ followUp: ActionOutcome.FollowUp, by person: Operator) async throws(OperatorError) -> RunOutcome {
        var options = self.options
        options.actor = person.actor
        options.trigger = person.channel == .cli ? .cli : .operator
        do {
            switch followUp {
            case .resumeRun(let runID):
                return try await FlowRunner(store: store, options: options).resume(runID: runID)
            case .startFlow(let path, let inputs):
                options.inputs.merge(inputs) { _, given in given }
                return try await FlowRunner(store: store, options: options).start(flowPath: path)
            }
        } catch {
            throw OperatorError(.launchFailed, error.message)
        }
    }
}
