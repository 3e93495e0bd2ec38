import Testing
@testable import Flows

/// The data steps of a real export, as `ferry validate` sees them: what it accepts, and where it
/// points (line:column) when something would fail at run time.
@Suite("Processing steps: datetime, joins, write, reshape, figures")
struct ProcessingStepTests {
    /// A flow that reads two exports from absolute paths; `steps` follow the reads.
    private func problems(_ steps: String) -> [String] {
        let yaml = """
            flow: export-processing
            description: A flow written in a test.
            stages:
              - name: process
                steps:
                  - read: { file: /srv/drop/visits.csv, as: csv, into: visits, columns: [id, patient, start, status] }
                  - read: { file: /srv/drop/invoices.csv, as: csv, into: invoices, columns: [invoice, appointment, amount, status] }
            \(steps.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            """
        return FlowText.problems(yaml).filter { !$0.contains("warning: work items are created here but no stage processes them") }
    }

    @Test("a file read from an absolute path is accepted; a relative path with folders is not")
    func absoluteRead() {
        #expect(problems("- set: { note: read }") == [])
        #expect(problems("- read: { file: drop/x.csv, as: csv, into: x }") == [
            "8:23: error: 'file' is a file name inside the run's folder (without '/' or '..') or an absolute path starting with '/'",
        ])
        #expect(problems("- read: { file: /srv/../etc/x.csv, as: csv, into: x }").first?.contains("an absolute path without '..'") == true)
    }

    @Test("a datetime field takes date-and-time patterns and a time zone; a date pattern with a time points at datetime")
    func datetime() {
        #expect(problems("""
            - normalize:
                records: visits
                fields:
                  start: { type: datetime, formats: ["yyyy-MM-dd HH:mm:ss"], timezone: Europe/Vienna }
            """) == [])
        #expect(problems("- normalize: { records: visits, fields: { start: datetime } }") == [])
        #expect(problems("- normalize: { records: visits, fields: { start: { type: date, formats: [\"yyyy-MM-dd HH:mm:ss\"] } } }") == [
            "8:80: error: 'yyyy-MM-dd HH:mm:ss' is not a date pattern; it has a time of day, so the field is a 'type: datetime'",
        ])
        #expect(problems("- normalize: { records: visits, fields: { start: { type: datetime, timezone: Europe/Wien } } }") == [
            "8:84: error: unknown time zone 'Europe/Wien'; use an IANA name like Europe/Vienna or UTC",
        ])
    }

    @Test("a join names each side's key; clashing fields get the prefix; where and the key see joined fields")
    func joins() {
        let join = """
            - items:
                from: invoices
                key: "${row.invoice}"
                where: row.visit_status == 'attended' and row.patient != ''
                join: { with: visits, on: { left: appointment, right: id }, prefix: visit }
            """
        #expect(problems(join) == [])
        #expect(problems(join.replacingOccurrences(of: "right: id", with: "right: ident")) == [
            "8:9: error: 'join' matches on 'ident', but records of 'visits' have no such field",
        ])
        // Without a prefix, the visit's status is dropped: the record keeps its own.
        #expect(problems(join.replacingOccurrences(of: ", prefix: visit", with: "")) == [
            "11:18: error: unknown field 'row.visit_status'; records here have: invoice, appointment, amount, status, id, patient, start",
        ])
    }

    @Test("write filters with where and copies a list of fields")
    func write() {
        #expect(problems("""
            - write: { from: invoices, file: open.csv, where: row.status == 'open', columns: [invoice, amount] }
            - write: { from: invoices, file: open2.csv, where: row.state == 'open', columns: { id: "${row.invoice}" } }
            - write: { from: invoices, file: open3.csv, columns: [invoice, total] }
            """) == [
            "9:58: error: unknown field 'row.state'; did you mean 'row.status'?",
            "10:70: error: unknown field 'row.total'; records here have: invoice, appointment, amount, status",
        ])
    }

    @Test("reshape renames, adds and keeps; what it names must exist, and later steps see the new fields")
    func reshape() {
        #expect(problems("""
            - reshape:
                records: visits
                into: entries
                where: row.status == 'attended'
                rename: { id: appointment_id }
                add: { day: "${row.start | date('dd.MM.yyyy')}" }
                keep: [appointment_id, patient, day]
            - write: { from: entries, file: entries.csv, columns: [appointment_id, patient, day] }
            """) == [])
        #expect(problems("""
            - reshape:
                records: visits
                rename: { ident: appointment_id, patient: status }
                add: { day: "${row.id}" }
                keep: [appointment_id, time]
            - write: { from: visits, file: entries.csv, columns: [id] }
            """) == [
            "8:9: error: 'keep' names 'appointment_id', but the records have no such field then",
            "8:9: error: 'keep' names 'time', but the records have no such field then",
            "10:21: error: 'rename' names 'ident', but records of 'visits' have no such field",
            "10:44: error: records of 'visits' already have a field 'status'; renaming 'patient' to it would overwrite it (rename or drop that one first)",
            "11:18: error: 'day' is added but not kept; list it in 'keep' or leave it out",
            "13:61: error: unknown field 'row.id'; records here have: appointment_id, time",
        ])
    }

    @Test("a gate takes a value captured from the page; it must be captured first and be text")
    func capturedFigures() {
        let gate = """
            - set: { shown_total: "(4 total)" }
            - reconcile:
                - name: all_listed
                  figure: { count: visits }
                  equals: { value: shown_total }
            """
        #expect(problems(gate) == [])
        #expect(problems(gate.replacingOccurrences(of: "value: shown_total", with: "value: shown_totl")) == [
            "10:13: error: gate 'all_listed' uses 'shown_totl', which no step sets; did you mean 'shown_total'?",
        ])
        #expect(problems(gate.replacingOccurrences(of: "value: shown_total", with: "value: visits")).first?.contains("it holds records; write { count: visits }") == true)
    }

    @Test("the fields of a one-record extract are reached as vars.NAME.FIELD, checked against its fields")
    func recordFields() {
        #expect(problems("""
            - reshape: { records: invoices, into: summary, keep: [amount] }
            - set: { total: "${vars.summary.amount}" }
            - require: vars.summary.amount > 0
            """) == [])
        #expect(problems("""
            - reshape: { records: invoices, into: summary, keep: [amount] }
            - set: { total: "${vars.summary.amount_due}", note: "x" }
            - set: { other: "${vars.note.text}" }
            """) == [
            "9:26: error: unknown field 'vars.summary.amount_due'; records of 'summary' have: amount",
            "10:26: error: 'vars.note' is text, so it has no field 'text'; write '${vars.note}'",
        ])
    }
}
