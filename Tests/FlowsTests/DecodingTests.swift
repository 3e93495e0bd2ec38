import Testing
@testable import Flows

/// How flow text becomes the model: shorthands, groups, inherited policies, and the mistakes caught
/// while decoding.
@Suite("Decoding")
struct DecodingTests {
    private static let head = """
        flow: decoding
        description: A flow written in a test.
        inputs:
          site: { type: url, default: "http://127.0.0.1:8081" }

        """

    private func flow(_ body: String) throws -> Flow {
        let check = FlowText.check(Self.head + body)
        #expect(check.errors.map(\.description) == [])
        return try #require(check.flow)
    }

    private func errors(_ body: String) -> [String] {
        FlowText.check(Self.head + body).errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }
    }

    @Test("selectors may be dotted or grouped; both give dotted keys, in order")
    func selectorGroups() throws {
        let flow = try flow("""
            selectors:
              login:
                user: "#username"
                password: "input[name=pwd]"
              login.submit: ["text=Sign in", "#login-form [type=submit]"]
            stages:
              - name: login
                steps:
                  - goto: "${inputs.site}/login"
                  - fill: { into: login.user, value: clerk }
                  - click: login.password
                  - click: login.submit
            """)

        #expect(flow.selectors.keys == ["login.user", "login.password", "login.submit"])
        #expect(flow.selectors["login.submit"]?.candidates.map(\.locator) == [.text("Sign in"), .css("#login-form [type=submit]")])
    }

    @Test("one key defined twice, grouped and dotted, is an error")
    func selectorDefinedTwice() {
        #expect(errors("""
            selectors:
              login: { user: "#username" }
              login.user: "#user"
            stages:
              - name: login
                steps:
                  - click: login.user
            """) == ["7:3: selector 'login.user' is already defined at line 6"])
    }

    @Test("on_error: retry retries application errors and leaves business errors to the default")
    func retryScalar() throws {
        let flow = try flow("""
            stages:
              - name: open
                on_error: retry
                steps:
                  - goto: "${inputs.site}/"
                  - goto: "${inputs.site}/other"
                    on_error: { business: continue }
            """)
        let stage = try #require(flow.stages.first)

        #expect(flow.errorAction(for: .application, step: stage.steps[0], in: stage) == .retry)
        #expect(flow.errorAction(for: .business, step: stage.steps[0], in: stage) == .fail)
        #expect(flow.errorAction(for: .business, step: stage.steps[1], in: stage) == .continue)
        #expect(flow.retryPolicy(for: stage.steps[0], in: stage) == .standard)
    }

    @Test("a timeout may be written inside wait, expect and download, but not in both places")
    func timeouts() throws {
        let flow = try flow("""
            selectors: { nav.logout: a.logout }
            stages:
              - name: open
                steps:
                  - goto: "${inputs.site}/"
                  - wait: { visible: nav.logout, timeout: 15s }
                  - expect: { element: nav.logout }
                    timeout: 1m
            """)

        #expect(flow.stages[0].steps.map { $0.timeout?.description } == [nil, "15s", "1m"])
        #expect(errors("""
            selectors: { nav.logout: a.logout }
            stages:
              - name: open
                steps:
                  - wait: { visible: nav.logout, timeout: 15s }
                    timeout: 10s
            """) == ["10:9: 'timeout' is set both here and inside 'wait'; keep one"])
    }

    @Test("side effects: marked where they can happen, implied for uploads, explicit for scripts")
    func sideEffects() {
        #expect(errors("""
            stages:
              - name: open
                steps:
                  - set: { a: b }
                    side_effect: true
                  - script: { javascript: "return 1", reason: A test }
                  - goto: "${inputs.site}/"
                    idempotency_key: "k"
            """) == [
                "9:22: 'set' never changes the target system, so it cannot be a side effect; remove 'side_effect'",
                "10:9: a script must say whether it changes the target system: add 'side_effect: true' or 'side_effect: false' to the step",
                "12:9: 'idempotency_key' only applies to side effects; add 'side_effect: true' or remove it",
            ])
    }

    @Test("shorthands: check, press and wait take a plain value")
    func shorthands() throws {
        let flow = try flow("""
            selectors: { form.agree: "#agree" }
            stages:
              - name: form
                steps:
                  - goto: "${inputs.site}/lab/form"
                  - check: form.agree
                  - press: Enter
                  - wait: 2s
            """)
        let actions = flow.stages[0].steps.map(\.action)

        #expect(actions[1] == .check(CheckStep(box: SelectorReference(key: "form.agree", location: flow.stages[0].steps[1].action.selectors[0].location))))
        #expect(actions[2] == .press(PressStep(key: "Enter")))
        #expect(actions[3] == .wait(WaitStep(.pause(.seconds(2)))))
    }

    @Test("booleans and numbers are written plainly; YAML 1.1 spellings are not guessed at")
    func plainScalars() {
        #expect(errors("""
            stages:
              - name: open
                session: yes
                retry: { attempts: "3" }
                steps:
                  - goto: "${inputs.site}/"
            """) == [
                "7:14: 'session' must be true or false, found 'yes'",
                "8:24: 'attempts' must be a whole number, found '3'",
            ])
    }

    @Test("names that templates use for scopes cannot be variables")
    func reservedNames() {
        #expect(errors("""
            stages:
              - name: open
                steps:
                  - set: { item: x }
            """) == ["8:16: variable name cannot be 'item': templates use that name for the current work item's record; pick another"])
    }

    @Test("a snippet shows the line and a caret, but never a line holding a literal secret")
    func snippets() throws {
        let check = FlowText.check(Self.head + """
            secrets: { password: hunter2 }
            stages:
              - name: open
                steps:
                  - clik: x
            """)
        let unknownStep = try #require(check.errors.first { $0.code == .unknownStep })
        let literal = try #require(check.errors.first { $0.code == .literalSecret })

        #expect(check.snippet(for: unknownStep) == "      - clik: x\n        ^")
        #expect(check.snippet(for: literal) == nil)
    }

    @Test("expired_when: a URL pattern and a selector key on a session stage, or under defaults for every session stage")
    func expiredWhen() throws {
        let flow = try flow("""
            selectors:
              login.form: "#login-form"
            defaults:
              expired_when: { element: login.form }
            stages:
              - name: login
                session: true
                expired_when: { url: "/(login|signin)", element: login.form }
                steps:
                  - goto: "${inputs.site}/login"
              - name: other_login
                session: true
                steps:
                  - goto: "${inputs.site}/other"
              - name: work
                steps:
                  - goto: "${inputs.site}/work"
            """)

        let login = try #require(flow.stage(named: "login"))
        #expect(login.expiredWhen?.url?.source == "/(login|signin)")
        #expect(login.expiredWhen?.element?.key == "login.form")
        #expect(login.expiredWhen?.element?.location.line == 12)
        let other = try #require(flow.stage(named: "other_login"))
        #expect(other.expiredWhen == nil)
        #expect(flow.expiryCondition(for: other)?.url == nil)
        #expect(flow.expiryCondition(for: other)?.element?.key == "login.form")
        #expect(flow.expiryCondition(for: login)?.url?.source == "/(login|signin)")
    }

    @Test("expired_when: mistakes are named where they are written")
    func expiredWhenMistakes() {
        #expect(errors("""
            selectors:
              login.form: "#login-form"
            stages:
              - name: login
                session: true
                expired_when: { url: "/login(", elemnt: login.form }
                steps:
                  - goto: "${inputs.site}/login"
              - name: work
                expired_when: { url: "/login" }
                steps:
                  - click: login.form
            defaults:
              expired_when: {}
            """) == [
                "10:26: '/login(' is not a valid regular expression",
                "10:37: unknown key 'elemnt' in 'expired_when'; did you mean 'element'?",
                "14:5: 'expired_when' says how a login shows it has run out, but stage 'work' does not log in; put it on the 'session: true' stage, or under 'defaults:' for every session stage",
                "18:17: 'expired_when' needs 'url' (a regular expression the login page's URL matches), 'element' (a selector key of its login form), or both",
            ])
    }
}

@Suite("Policies")
struct PolicyTests {
    @Test("a review inherited from defaults fails a stage that has no work item")
    func reviewOutsideItems() throws {
        let flow = try FlowLoader.load(path: FlowFixtures.flowsDirectory.appendingPathComponent("clinic-daily-sync.yaml").path)
        let login = try #require(flow.stage(named: "clinic_login"))
        let perItem = try #require(flow.stage(named: "enter_in_ledger"))

        #expect(flow.defaults.onError?.business == .review)
        #expect(flow.errorAction(for: .business, step: login.steps[4], in: login) == .fail)
        #expect(flow.errorAction(for: .business, step: perItem.steps[0], in: perItem) == .review)
        #expect(flow.errorAction(for: .application, step: login.steps[0], in: login) == .retry)
    }
}
