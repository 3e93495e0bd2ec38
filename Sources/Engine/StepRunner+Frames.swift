import Flows
import WebDriver

/// `frame:` steps: the frames of a frameset or the iframes of a page, entered one level at a time.
extension StepRunner {
    func enterFrame(_ frame: FrameStep, _ context: StepContext, timeout: Duration) async throws(StepFailure) {
        let session = try requireSession(context)
        switch frame.target {
        case .top:
            try await attempt(context) { try await session.switchToTopFrame() }
        case .parent:
            try await attempt(context) { try await session.switchToParentFrame() }
        case .element(let reference):
            let element = try await resolve(reference, .present, context, timeout: timeout)
            try await attempt(context, selector: reference.key) { try await session.switchToFrame(element) }
        case .name(let name):
            // A frameset names its frames; an iframe may have only an id. Wait for it like any element.
            let literal = name.replacingOccurrences(of: "\"", with: "\\\"")
            let locator = Locator("frame[name=\"\(literal)\"], iframe[name=\"\(literal)\"], frame#\(Self.cssIdentifier(name)), iframe#\(Self.cssIdentifier(name))")
            let element: WebDriverElement?
            do {
                element = try await session.wait(for: .present(locator), timeout: timeout)
            } catch where error.code == .waitTimeout {
                throw context.failure("no frame named '\(name)' appeared within \(timeout)\(await framesHint(session))")
            } catch {
                throw failure(error, context)
            }
            try await attempt(context) {
                guard let element else { throw WebDriverError(code: .noSuchFrame, command: "frame", message: "no frame named '\(name)'") }
                try await session.switchToFrame(element)
            }
        case .index(let index):
            let deadline = ContinuousClock.now + timeout
            while true {
                do {
                    try await session.switchToFrame(index: index)
                    return
                } catch where error.code == .noSuchFrame && ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(100))
                } catch {
                    if error.code == .noSuchFrame {
                        throw context.failure("the page has no frame number \(index) (counting from 0)\(await framesHint(session))")
                    }
                    throw failure(error, context)
                }
            }
        }
    }

    /// ", but it has frames: menu, main (enter one with `frame: { name: … }`)", or nothing when the
    /// current document has no frames.
    func framesHint(_ session: WebDriverSession) async -> String {
        let names = try? await session.executeScript(
            """
            return Array.from(document.querySelectorAll('frame, iframe'))
              .map((f, i) => f.name || f.id || ('number ' + i + ' (' + (f.getAttribute('src') || 'no src') + ')'));
            """)
        let frames = (names?.array ?? []).compactMap(\.string)
        guard !frames.isEmpty else { return "" }
        let example = frames.first { !$0.hasPrefix("number ") } ?? "main"
        return "; the page is made of frames (\(frames.joined(separator: ", "))): enter the one that holds it first, like `- frame: { name: \(example) }`"
    }

    /// A name as a CSS identifier (`#a\.b` for `a.b`).
    private static func cssIdentifier(_ name: String) -> String {
        var escaped = ""
        for (position, scalar) in name.unicodeScalars.enumerated() {
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_" || scalar == "-" || scalar.value > 0x7F
            let isDigit = scalar >= "0" && scalar <= "9"
            if isLetter || (isDigit && position > 0) {
                escaped.unicodeScalars.append(scalar)
            } else {
                escaped += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return escaped
    }
}
