import Testing
@testable import Flows

/// `transaction:` groups the steps that only together change the target (upload, preview, confirm);
/// `verify:` names the steps that confirm a side effect. Validation says what each may hold.
@Suite("Transactions and verify")
struct TransactionTests {
    private static let head = """
        flow: transactions
        description: A flow written in a test.
        inputs:
          site: { type: url, default: "http://127.0.0.1:8082" }
          file: { type: text, default: /tmp/rows.csv }
        selectors:
          import.file: "#import-file"
          import.preview: "#import-preview"
          import.confirm: "#import-confirm"
          import.result: "#import-result"
        stages:
          - name: prepare
            steps:
              - read: { file: "${inputs.file}", as: csv, into: rows }

        """

    private func errors(_ body: String) -> [String] {
        FlowText.check(Self.head + body).errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }
    }

    @Test("an upload inside a transaction only prepares: the confirm is the one side effect")
    func wizard() throws {
        let check = FlowText.check(Self.head + """
              - name: import
                steps:
                  - goto: "${inputs.site}/import"
                  - transaction:
                      steps:
                        - upload: { file: "${inputs.file}", into: import.file, submit: import.preview }
                        - click: import.confirm
                          side_effect: true
                          idempotency_key: "import-${run.date}"
                        - expect: { text: import.result, contains: Imported }
            """)
        #expect(check.errors.map(\.description) == [])
        let flow = try #require(check.flow)
        guard case .transaction(let transaction) = flow.stages[1].steps[1].action else {
            Issue.record("not a transaction")
            return
        }
        #expect(transaction.steps.map(\.sideEffect) == [false, true, false])
        #expect(transaction.commit?.kind == .click)
    }

    @Test("outside a transaction, an upload that says it changes nothing is pointed at transaction:")
    func previewOnlyUploadOutside() {
        #expect(errors("""
              - name: import
                steps:
                  - upload: { file: "${inputs.file}", into: import.file }
                    side_effect: false
            """) == [
                "18:22: an upload on its own changes the target system; an upload that only previews belongs in a 'transaction:' with the step that confirms it",
            ])
    }

    @Test("a transaction commits with exactly one side effect, and holds only browser steps")
    func transactionRules() {
        #expect(errors("""
              - name: import
                steps:
                  - transaction:
                      steps:
                        - upload: { file: "${inputs.file}", into: import.file }
            """) == [
                "17:9: a transaction commits with exactly one side effect: mark the step that makes the change (a Confirm or Save click) with 'side_effect: true'",
            ])
        let twice = errors("""
              - name: import
                steps:
                  - transaction:
                      steps:
                        - click: import.preview
                          side_effect: true
                        - click: import.confirm
                          side_effect: true
            """)
        #expect(twice.count == 1, "\(twice)")
        #expect(twice.first?.hasPrefix("21:15: a transaction has one side effect, but this is a second one (the first is at line 19)") == true)
        let items = errors("""
              - name: import
                steps:
                  - transaction:
                      steps:
                        - items: { from: rows, key: "${row.id}" }
                        - click: import.confirm
                          side_effect: true
            """)
        #expect(items.count == 1, "\(items)")
        #expect(items.first?.hasPrefix("19:15: 'items' cannot be part of a transaction") == true)
    }

    @Test("verify: lists checks of a side effect, never another change")
    func verifyRules() {
        #expect(errors("""
              - name: import
                steps:
                  - click: import.confirm
                    side_effect: true
                    verify:
                      - expect: { text: import.result, contains: Imported }
                      - click: import.preview
            """).first?.hasPrefix("21:13: 'verify' holds the steps that check a change") == true)
        #expect(errors("""
              - name: import
                steps:
                  - click: import.confirm
                    verify:
                      - expect: { text: import.result, contains: Imported }
            """) == ["18:9: 'verify' lists the steps that confirm a side effect; add 'side_effect: true' or remove it"])
    }
}
