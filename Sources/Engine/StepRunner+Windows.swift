import Flows
import Foundation
import WebDriver

/// `window:` steps: popups a click opened (a report window, a lookup), closed again when done.
extension StepRunner {
    func switchWindow(_ window: WindowStep, _ context: StepContext, timeout: Duration) async throws(StepFailure) {
        let session = try requireSession(context)
        switch window.target {
        case .newest:
            _ = try await attempt(context) { try await session.switchToNewestWindow(timeout: timeout) }
        case .main:
            try await attempt(context) { try await session.switchToMainWindow() }
        case .close:
            try await attempt(context) { try await session.closeWindowAndReturn() }
        case .matching(let property, let matcher):
            _ = try match("", matcher, context)  // a template that cannot be worked out fails here, not as "no such window"
            _ = try await attempt(context) {
                try await session.switchToWindow(timeout: timeout, described: "\(property.rawValue) would \(describe(matcher))") { title, url in
                    ((try? match(property == .title ? title : url, matcher, context)) ?? nil) != nil
                }
            }
        }
        execution.audit("now in the window “\(execution.redact((try? await session.title()) ?? ""))”", context: context)
    }
}
