import Flows
import Foundation
import WebDriver

extension StepRunner {
    /// Checks what the page shows, waiting up to the timeout for it, and captures regex groups into variables.
    func runExpect(_ expect: ExpectStep, _ context: StepContext, timeout: Duration) async throws(StepFailure) -> String? {
        switch expect.subject {
        case .element(let reference):
            _ = try await resolve(reference, .visible, context, timeout: timeout)
            return nil
        case .absent(let reference):
            try await waitGone(reference, context, timeout: timeout)
            return nil
        case .attached(let reference):
            _ = try await resolve(reference, .present, context, timeout: timeout)
            return nil
        case .count(let reference, let count):
            try await waitForCount(reference, count, context, timeout: timeout)
            return nil
        case .text(let reference, let matcher):
            let element = try await resolve(reference, .visible, context, timeout: timeout)
            let deadline = ContinuousClock.now + timeout
            var text = ""
            repeat {
                text = try await attempt(context, selector: reference.key) { try await element.text() }
                if let groups = try match(text, matcher, context) {
                    return try await capture(groups, expect.captures, context)
                }
                try? await Task.sleep(for: .milliseconds(50))
            } while ContinuousClock.now < deadline
            throw context.failure(
                "expected the text of '\(reference.key)' to \(describe(matcher)), but it is \"\(execution.redact(String(text.prefix(200))))\"",
                selector: reference.key)
        case .page(let property, let matcher):
            let value = try await waitForPage(property, matcher, context, timeout: timeout)
            if let groups = try match(value, matcher, context) {
                return try await capture(groups, expect.captures, context)
            }
            return nil
        }
    }

    /// Waits until the page's URL or title satisfies the matcher; returns the value seen.
    @discardableResult
    func waitForPage(_ property: PageProperty, _ matcher: TextMatcher, _ context: StepContext, timeout: Duration) async throws(StepFailure) -> String {
        let session = try requireSession(context)
        let deadline = ContinuousClock.now + timeout
        var value = ""
        repeat {
            value = try await attempt(context) {
                property == .url ? try await session.currentURL() : try await session.title()
            }
            if try match(value, matcher, context) != nil { return value }
            try? await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        throw context.failure("expected the page \(property.rawValue) to \(describe(matcher)), but it is \"\(execution.redact(value))\"")
    }

    /// The capture groups when the text matches (empty for equals/contains), or nil when it does not.
    func match(_ text: String, _ matcher: TextMatcher, _ context: StepContext) throws(StepFailure) -> [String]? {
        switch matcher {
        case .equals(let template):
            return text.trimmingCharacters(in: .whitespacesAndNewlines) == (try render(template, context)) ? [] : nil
        case .contains(let template):
            return text.contains(try render(template, context)) ? [] : nil
        case .matches(let pattern):
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: pattern.source)
            } catch {
                throw context.failure("the pattern \(pattern.source) is not a valid regular expression", errorClass: .application)
            }
            let range = NSRange(text.startIndex..., in: text)
            guard let found = regex.firstMatch(in: text, range: range) else { return nil }
            return (1..<max(1, found.numberOfRanges)).map { index in
                Range(found.range(at: index), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }

    private func capture(_ groups: [String], _ names: [String], _ context: StepContext) async throws(StepFailure) -> String? {
        guard !names.isEmpty else { return groups.first }
        var values: [String: String] = [:]
        for (name, value) in zip(names, groups) { values[name] = value }
        try await execution.remember(values, context: context)
        return groups.first
    }

    func describe(_ matcher: TextMatcher) -> String {
        switch matcher {
        case .equals(let template): "equal \"\(template)\""
        case .contains(let template): "contain \"\(template)\""
        case .matches(let pattern): "match /\(pattern.source)/"
        }
    }
}
