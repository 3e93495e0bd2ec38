import Testing
@testable import Flows

/// What only the whole flow can tell: names defined where they are used, values set before use,
/// secrets kept out of sight.
@Suite("Validation")
struct ValidationTests {
    /// A flow that reads appointments and enters them per item; `extra` adds steps to the per-item stage.
    private func problems(process: String = "", perItem: String = "") -> [String] {
        let yaml = """
            flow: validation
            description: A flow written in a test.
            inputs:
              site: { type: url, default: "http://127.0.0.1:8081" }
              date: { type: date, default: "${today - 1d}" }
            secrets:
              password: env:PASSWORD
            selectors:
              login.password: "#password"
              appointments.export: "a#export"
              entry.save: "#save"
            stages:
              - name: login
                session: true
                steps:
                  - goto: "${inputs.site}/login"
                  - fill: { into: login.password, value: "${secrets.password}" }
              - name: process
                steps:
                  - goto: "${inputs.site}/appointments?date=${inputs.date}"
                  - download: { click: appointments.export, save_as: appointments.csv }
                  - read: { file: appointments.csv, as: csv, into: appointments, columns: [appointment_id, patient_name] }
                  - items: { from: appointments, key: "${row.appointment_id}" }
            \(process.isEmpty ? "" : process.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
              - name: enter
                for_each_item: true
                steps:
                  - click: entry.save
            \(perItem.isEmpty ? "" : perItem.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            """
        return FlowText.check(yaml).diagnostics.map(\.message)
    }

    @Test("the base flow of these tests is clean")
    func clean() {
        #expect(problems() == [])
    }

    @Test("item fields are known from the records' columns, with a did-you-mean")
    func itemFields() {
        #expect(problems(perItem: "- set: { who: \"${item.patient_nam} (${work.key})\" }") == [
            "unknown item field 'item.patient_nam'; did you mean 'item.patient_name'?",
        ])
    }

    @Test("item.id and item.key are the record's own fields; a flow that means Ferry's is pointed at work.id and work.key")
    func workNames() {
        #expect(problems(perItem: "- set: { page: \"/records/${item.id}/change/ for ${item.key}\" }") == [
            "the records have no field 'id'; Ferry's own item number is 'work.id' ('item.' holds the record's fields only)",
            "the records have no field 'key'; Ferry's own item key is 'work.key' ('item.' holds the record's fields only)",
        ])
        #expect(problems(perItem: "- set: { note: \"${work.id} ${work.key} ${work.attempt}\" }") == [])
        #expect(problems(perItem: "- set: { note: \"${work.number}\" }") == [
            "unknown work item value 'work.number'; work item values: attempt, id, key",
        ])
    }

    @Test("no variable may take the name work, which would shadow Ferry's own item values")
    func workIsReserved() {
        #expect(problems(process: "- set: { work: \"x\" }").contains { $0.contains("work") })
    }

    @Test("the work item and loop rows only exist where they are set")
    func scopes() {
        #expect(problems(process: "- set: { who: \"${item.patient_name} ${row.patient_name}\" }") == [
            "'item.patient_name' only has a value in a stage with 'for_each_item'",
            "'row.patient_name' only has a value in 'items', 'write' and 'for_each' steps",
        ])
    }

    @Test("a bare name points at the scope it probably belongs to")
    func bareNames() {
        #expect(problems(process: "- goto: \"${site}/x\"") == ["unknown name 'site'; did you mean 'inputs.site'?"])
    }

    @Test("records are counted, not written as text")
    func recordsAsText() {
        #expect(problems(process: "- set: { n: \"${vars.appointments} rows\", m: \"${vars.appointments | count} rows\" }") == [
            "'vars.appointments' holds records, not text; write '${vars.appointments | count}' for how many",
        ])
    }

    @Test("dates move by whole days, and only dates move")
    func dateShifts() {
        #expect(problems(process: "- set: { a: \"${today - 2h}\", b: \"${inputs.site + 1d}\", c: \"${now - 2h}\" }") == [
            "a date moves in whole days ('today - 1d'); use 'now' to move by 2h",
            "'inputs.site' is a url, not a date, so it cannot move by 1d",
        ])
    }

    @Test("goto needs an absolute URL, and a secret in a URL is a warning")
    func gotoURLs() {
        #expect(problems(process: "- goto: \"/appointments\"\n- goto: \"${inputs.site}/?p=${secrets.password}\"") == [
            "'goto' needs an absolute URL; start it with an input, like \"${inputs.site}/login\", or with http:// or https://",
            "a secret in a URL ends up in logs and browser history; type it into a field instead",
        ])
    }

    @Test("secrets stay out of keys, reasons and notes; variables set from secrets are secrets")
    func secretExposure() {
        #expect(problems(
            process: "- set: { token: \"x${secrets.password}\" }\n- screenshot: \"shot-${vars.token}\"",
            perItem: "- done: \"${secrets.password}\"") == [
                "a secret cannot go into a file name, which appears in logs and reports; use something that identifies without revealing",
                "a secret cannot go into a note operators read; use something that identifies without revealing",
            ])
    }

    @Test("a password field is filled from secrets, not from an input")
    func passwordFromInput() {
        #expect(problems(process: "- fill: { into: login.password, value: \"${inputs.date}\" }") == [
            "'login.password' looks like a password field, but its value does not come from 'secrets:'; write \"${secrets.NAME}\"",
        ])
    }

    @Test("work items are made in a run-wide stage, and processed by a per-item stage after it")
    func itemsPlacement() {
        #expect(problems(perItem: "- items: { from: appointments, key: \"${row.appointment_id}\" }") == [
            "work items are created in a stage that runs once, not in a per-item stage",
        ])
    }

    @Test("a per-item stage's session must be a session stage before it")
    func itemSession() {
        let yaml = """
            flow: sessions
            description: A per-item stage naming a session that is not one.
            stages:
              - name: make
                steps:
                  - set: { a: b }
              - name: enter
                for_each_item: { workers: 2, session: login }
                steps:
                  - set: { c: d }
            """
        #expect(FlowText.check(yaml).errors.map(\.message) == [
            "stage 'enter' runs once per work item, but no earlier stage creates work items; add an 'items' step before it",
            "'login' is not a session stage before 'enter'; mark a login stage before it with 'session: true'",
        ])
    }

    @Test("a step waiting longer than its stage may run is a warning")
    func timeouts() {
        let yaml = """
            flow: timeouts
            description: A step longer than its stage.
            stages:
              - name: slow
                timeout: 1m
                steps:
                  - wait: 2m
                    timeout: 5m
            """
        #expect(FlowText.check(yaml).warnings.map(\.message) == ["this step may wait 5m, longer than its stage's timeout of 1m"])
    }

    @Test("an items join must match on a field both records have")
    func joins() {
        #expect(problems(process: """
            - read: { file: appointments.csv, as: csv, into: billing, columns: [invoice, appointment] }
            - items: { from: appointments, key: "${row.appointment_id}", join: { with: billing, on: appointment_id } }
            """) == ["'join' matches on 'appointment_id', but records of 'billing' have no such field; did you mean 'appointment'?"])
    }
    @Test("expired_when names a defined selector key, with a did-you-mean, and counts it as used")
    func expiredWhenSelector() {
        let yaml = { (expiry: String) in
            """
            flow: expiry
            description: A flow written in a test.
            inputs:
              site: { type: url, default: "http://127.0.0.1:8081" }
            selectors:
              login.form: "#login-form"
            \(expiry)
            stages:
              - name: login
                session: true
                steps:
                  - goto: "${inputs.site}/login"
            """
        }
        #expect(FlowText.problems(yaml("defaults: { expired_when: { element: login.from } }")) == [
            "6:3: warning: selector 'login.form' is never used; remove it, or use it in a step",
            "7:38: error: unknown selector key 'login.from'; did you mean 'login.form'?",
        ])
        #expect(FlowText.problems(yaml("defaults: { expired_when: { element: login.form } }")) == [])
    }
}
