import Testing
@testable import Flows

/// `frame:`, `window:` and `dialog:` (issue 16): the furniture of legacy pages, decoded into the
/// model, and every mistake reported at its file:line:column with what to write instead.
@Suite("Frames, windows and dialogs in flow files")
struct PageFurnitureTests {
    private static let head = """
        flow: furniture
        description: A flow written in a test.
        inputs:
          site: { type: url, default: "http://127.0.0.1:8082" }
        selectors:
          main.frame: "frame[name=main]"
          record.save: "#classic-save"
          report.open: "#menu-report"
        stages:
          - name: work

        """

    private func errors(_ body: String) -> [String] {
        FlowText.check(Self.head + body).errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }
    }

    @Test("every form of frame:, window: and dialog: decodes into the model")
    func forms() throws {
        let check = FlowText.check(Self.head + """
                dialog: { do: accept, expect_text: "Really save" }
                steps:
                  - goto: "${inputs.site}/classic/"
                  - frame: { name: menu }
                  - frame: top
                  - frame: main.frame
                  - frame: { index: 1 }
                  - frame: parent
                  - click: record.save
                    side_effect: true
                    dialog: { answer: "${run.date}", expect_text: Reason }
                  - click: report.open
                    dialog: dismiss
                  - window: newest
                  - window: { page: title, contains: Records report }
                  - window: { page: url, matches: "/report\\\\?id=\\\\d+" }
                  - window: close
                  - window: main
            """)
        #expect(check.errors.map(\.description) == [])
        let stage = try #require(check.flow?.stages.first)
        #expect(stage.dialog?.response == .accept)
        #expect(stage.dialog?.expectedText?.source == "Really save")
        let actions = stage.steps.map(\.action)
        #expect(actions[1] == .frame(FrameStep(.name("menu"))))
        #expect(actions[2] == .frame(FrameStep(.top)))
        guard case .frame(let byKey) = actions[3], case .element(let reference) = byKey.target else {
            Issue.record("frame: main.frame is not a selector key")
            return
        }
        #expect(reference.key == "main.frame")
        #expect(actions[4] == .frame(FrameStep(.index(1))))
        #expect(actions[5] == .frame(FrameStep(.parent)))
        let prompt = try #require(stage.steps[6].dialog)
        #expect(prompt.response == .accept)
        #expect(prompt.answer?.source == "${run.date}")
        #expect(stage.steps[7].dialog?.response == .dismiss)
        #expect(actions[8] == .window(WindowStep(.newest)))
        guard case .window(let byTitle) = actions[9], case .matching(.title, .contains(let title)) = byTitle.target else {
            Issue.record("window by title did not decode")
            return
        }
        #expect(title.source == "Records report")
        #expect(actions[11] == .window(WindowStep(.close)))
        #expect(actions[12] == .window(WindowStep(.main)))
        // A frame step's key counts as a use of the selector, so the doctor checks it too.
        #expect(actions[3].selectors.map(\.key) == ["main.frame"])
    }

    @Test("a frame by an undefined key says how to enter one by its name")
    func frameByUnknownKey() {
        #expect(errors("""
                steps:
                  - frame: menu
            """) == ["12:16: unknown selector key 'menu'; define it under 'selectors:', or enter the frame by its name: frame: { name: menu }"])
    }

    @Test("a frame by name and by index at once, or by neither, is refused where it is written")
    func frameShapes() {
        #expect(errors("""
                steps:
                  - frame: { name: menu, index: 0 }
                  - frame: { title: Menu }
                  - frame: { index: -1 }
            """) == [
                "12:16: 'frame' enters one frame: by 'name' or by 'index', not both",
                "13:16: 'frame' needs which frame: a selector key (frame: menu.frame), { name: main }, { index: 0 }, parent or top",
                "13:18: unknown key 'title' in 'frame' (allowed: index, name)",
                "14:25: 'index' must be between 0 and 999, found -1",
            ])
    }

    @Test("window: takes newest, main, close or a page match, with a did-you-mean")
    func windowShapes() {
        #expect(errors("""
                steps:
                  - window: newset
                  - window: { page: title }
                  - window: { page: heading, contains: Report }
            """) == [
                "12:17: 'window' cannot be 'newset'; did you mean 'newest'?",
                "13:17: 'window: page' needs how to match: 'equals', 'contains' or 'matches'",
                "14:25: 'page' cannot be 'heading'; use 'url' or 'title'",
            ])
    }

    @Test("dialog: says what to do; an answer cannot go with dismiss; a data step cannot open one")
    func dialogShapes() {
        #expect(errors("""
                steps:
                  - click: record.save
                    dialog: ok
                  - click: record.save
                    dialog: { expect_text: Really save }
                  - click: record.save
                    dialog: { do: dismiss, answer: "no" }
                  - set: { note: "x" }
                    dialog: accept
                  - click: record.save
                    dialog: { do: accept, expect_text: "${vars.missing}" }
            """) == [
                "13:17: 'dialog' cannot be 'ok'; use 'accept' or 'dismiss'",
                "15:17: 'dialog' needs what to do: 'do: accept' or 'do: dismiss' (or 'answer:' for a prompt)",
                "17:32: 'answer' is typed into a prompt before OK; it cannot go with 'do: dismiss'",
                "19:17: 'set' cannot open a dialog; put 'dialog:' on the step that opens it (a click, a goto)",
                "21:47: unknown variable 'vars.missing'; set it with 'set', 'capture' or 'into'",
            ])
    }
}
