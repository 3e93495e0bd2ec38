import ArgumentParser
import Engine
import Foundation
import Operators
import Store
import WebDriver

/// Who performs an action from the command line: `--operator NAME`, else `$USER`. The audit row
/// names them as `operator:NAME`.
///
/// Someone with a shell on the store's machine can already change the store, so the CLI acts with the
/// operator role; when NAME is a dashboard user, that user's role applies instead (a viewer is refused).
struct OperatorOptionGroup: ParsableArguments {
    @Option(name: .customLong("operator"), help: ArgumentHelp("Your name, for the audit log (default: $USER).", valueName: "name"))
    var name: String?

    func person(in store: any OperatorStore) throws -> Operator {
        let name = self.name ?? RunOptions.userName
        let role = (try store.user(named: name))?.role ?? .operator
        return Operator(name: name, role: role, channel: .cli, systemUser: Self.systemUser)
    }

    /// The operating-system account running this process (not `$USER`, which anyone can set).
    static var systemUser: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }
}

/// Performs an action through the shared code path and, unless told not to, runs its follow-up
/// (the resume or the new run) in this process, printing the run's summary.
struct ActionPerformer {
    /// The item was in another state than the action applies to (changed by someone else first).
    static let wrongStateExitCode: Int32 = 3

    static func exitCode(for error: OperatorError) -> Int32 {
        switch error.code {
        case .forbidden: 77
        case .wrongState: wrongStateExitCode
        default: 1
        }
    }

    let store: any OperatorStore
    let person: Operator
    let storePath: String

    func perform(_ action: OperatorAction, reason: String?, run: Bool, runOptions: RunOptionGroup?) async throws {
        let outcome: ActionOutcome
        do {
            outcome = try OperatorActions(store: store).perform(action, by: person, reason: reason)
        } catch {
            FileHandle.standardError.write(Data("ferry: \(error.message)\n".utf8))
            throw ExitCode(Self.exitCode(for: error))
        }
        print(outcome.message)
        guard let followUp = outcome.followUp else { return }
        guard run, let runOptions else {
            switch followUp {
            case .resumeRun(let id): print("not run now (--no-run): `ferry resume \(id)` works it")
            case .startFlow(let path, _): print("not run now (--no-run): `ferry run \(path)` starts it")
            }
            return
        }
        TerminationCleanup.install()
        let console = RunConsole(verbose: runOptions.verbose)
        let launcher = EngineRunLauncher(store: store, options: runOptions.runOptions(console: console))
        do {
            let result = try await launcher.launch(followUp, by: person)
            console.summary(result, store: storePath)
            throw ExitCode(result.exitCode)
        } catch let error as OperatorError {
            console.fail(error.message)
            throw ExitCode(1)
        }
    }
}
