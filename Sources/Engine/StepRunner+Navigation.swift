import Flows
import Foundation
import WebDriver

extension StepRunner {
    /// Opens a page. When the target system is down (refused, 502/503/504, its maintenance page) and
    /// the flow says `target_down:`, probes again with backoff until its `wait` or the run's deadline.
    func open(_ url: String, _ session: WebDriverSession, _ context: StepContext) async throws(StepFailure) {
        let policy = flow.defaults.targetDown
        let started = Date()
        var pause = policy.map { Duration.milliseconds($0.every.milliseconds) } ?? .seconds(30)
        var probes = 0
        while true {
            let down: String
            do {
                try await navigate(url, session, context, maintenanceText: policy?.pageContains)
                if probes > 0 {
                    execution.audit("\(execution.redact(url)) is back after \(probes) probes over \(Int(Date().timeIntervalSince(started))) s", context: context)
                }
                return
            } catch let failure {
                guard let policy, let reason = Self.downReason(failure.message) else { throw failure }
                down = reason
                let limit = min(started.addingTimeInterval(Double(policy.wait.milliseconds) / 1000), execution.options.deadline ?? .distantFuture)
                guard Date().addingTimeInterval(pause.seconds) < limit else {
                    throw context.failure(
                        "\(execution.redact(url)) is down (\(down)); probed \(probes + 1) times over \(Int(Date().timeIntervalSince(started))) s, "
                            + (execution.options.deadline.map { limit == $0 ? "until the run's deadline" : "for the flow's target_down wait" } ?? "for the flow's target_down wait")
                            + ". Check the system, then resume the run",
                        errorClass: .application)
                }
            }
            probes += 1
            if probes == 1 { execution.audit("\(execution.redact(url)) is down (\(down)); probing every \(pause) and longer", context: context) }
            execution.emit(.stepFailed(stage: context.stage.name, step: context.number, message: "the target is down (\(down)); probing again in \(pause)", willRetry: true))
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(300))
        }
    }

    private func navigate(_ url: String, _ session: WebDriverSession, _ context: StepContext, maintenanceText: String?) async throws(StepFailure) {
        try await attempt(context) {
            try await session.navigate(to: url)
            let status = try await session.executeScript(
                "const n = performance.getEntriesByType('navigation')[0]; return n && n.responseStatus ? n.responseStatus : 0;")
            if let code = status.number, code >= 400 {
                throw context.failure("the page \(execution.redact(url)) answered HTTP \(Int(code))")
            }
            if let maintenanceText {
                let text = try await session.executeScript("return document.body ? document.body.innerText : '';").string ?? ""
                if text.localizedCaseInsensitiveContains(maintenanceText) {
                    throw context.failure("the page \(execution.redact(url)) is the maintenance page ('\(maintenanceText)')")
                }
            }
        }
    }

    /// What says the system is down, from a navigation's failure; nil for any other failure.
    static func downReason(_ message: String) -> String? {
        for code in ["ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_EMPTY_RESPONSE", "ERR_ADDRESS_UNREACHABLE"]
        where message.contains(code) {
            return code.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "err ", with: "")
        }
        for status in [502, 503, 504] where message.contains("answered HTTP \(status)") { return "HTTP \(status)" }
        if message.contains("is the maintenance page") { return "its maintenance page" }
        return nil
    }
}
