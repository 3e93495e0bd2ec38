import Foundation
import Testing
@testable import Flows

@Suite("Templates")
struct TemplateTests {
    /// 2024-05-02 09:30 in Vienna.
    private static let morning = Date(timeIntervalSince1970: 1_714_635_000)
    private static let vienna = TimeZone(identifier: "Europe/Vienna")!

    private func context() -> TemplateContext {
        var context = TemplateContext(now: Self.morning, timeZone: Self.vienna)
        context.inputs = ["clinic": .text("http://clinic.test"), "date": .text("2024-05-01")]
        context.secrets = ["password": .text("s3cret&pass")]
        context.run = ["id": .text("R-7")]
        context.vars = ["appointments": .records([["id": "A-1"], ["id": "A-2"]]), "ledger_id": .text("L-000123")]
        context.item = ["id": .text("R-55"), "patient": .text("Ada Lovelace")]
        context.work = ["id": .text("7"), "key": .text("A-1001")]
        context.rows = ["row": ["appointment_id": .text("A-9")]]
        return context
    }

    private func render(_ source: String) throws -> RenderedValue {
        try Template(parsing: source).render(in: context())
    }

    @Test("inserts inputs, run values, variables, item fields and loop rows")
    func references() throws {
        #expect(try render("${inputs.clinic}/appointments?date=${inputs.date}").text == "http://clinic.test/appointments?date=2024-05-01")
        #expect(try render("run ${run.id}: ${vars.ledger_id} for ${work.key} (${item.patient}), row ${row.appointment_id}").text
            == "run R-7: L-000123 for A-1001 (Ada Lovelace), row A-9")
    }

    @Test("a record's own field named id stays the record's; Ferry's item number is work.id")
    func recordKeepsItsFields() throws {
        #expect(try render("/records/${item.id}/change/ (item ${work.id})").text == "/records/R-55/change/ (item 7)")
    }

    @Test("today and now are taken in the run's time zone, and move by durations")
    func dates() throws {
        #expect(try render("${today}").text == "2024-05-02")
        #expect(try render("${today - 1d}").text == "2024-05-01")
        #expect(try render("${inputs.date + 30d}").text == "2024-05-31")
        #expect(try render("${now}").text == "2024-05-02T09:30:00+02:00")
        #expect(try render("${now - 90m}").text == "2024-05-02T08:00:00+02:00")
        #expect(try render("${inputs.date | date('dd.MM.yyyy')}").text == "01.05.2024")
    }

    @Test("filters transform the value in order")
    func filters() throws {
        #expect(try render("${item.patient | upper}").text == "ADA LOVELACE")
        #expect(try render("${item.patient | lower | urlencode}").text == "ada%20lovelace")
        #expect(try render("${vars.appointments | count}").text == "2")
        #expect(try render("${'' | default('none')}").text == "none")
        #expect(try render("${'  x ' | trim}").text == "x")
    }

    @Test("a value that went through a secret stays secret, and prints as •••")
    func secretsStayMarked() throws {
        let rendered = try render("Bearer ${secrets.password | urlencode}")

        #expect(rendered.isSecret)
        #expect(rendered.text == "Bearer s3cret%26pass")
        #expect("\(rendered)" == "•••")
        #expect(try !render("${inputs.date}").isSecret)
    }

    @Test("'$${' writes a literal '${'")
    func escape() throws {
        #expect(try render("cost: $${price}").text == "cost: ${price}")
    }

    @Test("syntax errors say what to write, and where", arguments: [
        ("${inputs.date", "'${' is never closed; add '}'", 0),
        ("x ${}", "'${}' is empty; name a value, like ${inputs.date}", 4),
        ("${inputs.date | urlencod}", "unknown filter 'urlencod'; did you mean 'urlencode'? (filters: count, date, default, lower, trim, upper, urlencode)", 16),
        ("${today - 1x}", "'1x' is not a number or a duration; write a number and a unit, like 500ms, 10s, 2m or 1h", 10),
        ("${inputs.mode == 'bulk'}", "'==' belongs in an 'if:' condition; a template only inserts a value", 14),
        ("${inputs.}", "expected a name after '.'", 9),
        ("${'open}", "'${' is never closed; add '}'", 0),
        ("${inputs.date + 'x'}", "a date moves by a duration, like 'today - 1d'", 16),
        ("${inputs.date | date}", "'date' needs an argument, like date('...')", 16),
    ])
    func syntaxErrors(source: String, message: String, offset: Int) {
        #expect(throws: TemplateSyntaxError(message, at: offset)) { try Template(parsing: source) }
    }

    @Test("a missing value at run time names the reference, never a secret's value")
    func renderErrors() {
        var context = context()
        context.vars["token"] = .secret("tok-123")

        #expect(throws: TemplateError("there is no value for 'vars.missing' yet", source: "${vars.missing}")) {
            try Template(parsing: "${vars.missing}").render(in: context)
        }
        do {
            _ = try Template(parsing: "${vars.token - 1d}").render(in: context)
            Issue.record("a secret text is not a date")
        } catch let error as TemplateError {
            #expect(error.message == "'vars.token' is not a date (yyyy-MM-dd) or time, so it cannot move by 1d")
            #expect(!error.description.contains("tok-123"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("records cannot be inserted as text")
    func recordsAsText() {
        #expect(throws: TemplateError.self) { try render("${vars.appointments}") }
    }

    @Test("the default idempotency key names the run, stage, step and item")
    func defaultIdempotencyKey() throws {
        var context = context()
        context.stage = ["name": .text("enter")]
        context.step = ["number": .text("12")]

        #expect(try Step.defaultIdempotencyKey.render(in: context).text == "R-7/enter/12/A-1001")
        context.work = nil
        #expect(try Step.defaultIdempotencyKey.render(in: context).text == "R-7/enter/12/-")
    }
}

@Suite("Conditions")
struct ConditionTests {
    private func holds(_ source: String, _ configure: (inout TemplateContext) -> Void = { _ in }) throws -> Bool {
        var context = TemplateContext()
        context.inputs = ["mode": .text("bulk"), "limit": .text("10"), "dry_run": .text("false")]
        context.vars = ["existing": .records([]), "found": .records([["id": "1"]]), "note": .text("")]
        context.item = ["status": .text("attended"), "amount": .text("12.50")]
        configure(&context)
        return try Condition(parsing: source).evaluate(in: context)
    }

    @Test("compares text, and numbers as numbers")
    func comparisons() throws {
        #expect(try holds("inputs.mode == 'bulk'"))
        #expect(try holds("inputs.mode != 'single'"))
        #expect(try holds("inputs.limit > 9"))
        #expect(try holds("inputs.limit == 10.0"))
        #expect(try holds("item.amount >= 12.5 and item.amount < 100"))
        #expect(try holds("item.status contains 'tend'"))
        #expect(try holds("item.amount matches '^\\d+\\.\\d{2}$'"))
    }

    @Test("a value alone is true unless empty, false, 0 or no; records unless there are none")
    func truth() throws {
        #expect(try !holds("inputs.dry_run"))
        #expect(try !holds("vars.existing"))
        #expect(try holds("vars.found"))
        #expect(try holds("not vars.note"))
        #expect(try holds("not (vars.existing or inputs.dry_run) and inputs.mode == 'bulk'"))
    }

    @Test("a condition wrapped whole in ${...} is accepted; a half-wrapped one is not")
    func wrapped() throws {
        #expect(try holds("${inputs.mode == 'bulk'}"))
        #expect(throws: TemplateSyntaxError("write conditions without '${...}', like: inputs.mode == 'bulk'", at: 0)) {
            try Condition(parsing: "${inputs.mode} == 'bulk'")
        }
    }

    @Test("other languages' operators get the Ferry spelling", arguments: [
        ("a && b", "write 'and' instead of '&&'"), ("a || b", "write 'or' instead of '||'"), ("!a", "write 'not' instead of '!'"),
        ("a = 'b'", "write '==' to compare"), ("a matches '('", "'(' is not a valid regular expression"),
    ])
    func foreignOperators(source: String, message: String) {
        #expect(throws: TemplateSyntaxError.self) { try Condition(parsing: source) }
        do {
            _ = try Condition(parsing: source)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test("nesting is capped, so a hostile condition cannot exhaust the stack")
    func nestingCap() {
        #expect(throws: TemplateSyntaxError.self) { try Condition(parsing: String(repeating: "not ", count: 40) + "true") }
        #expect(throws: TemplateSyntaxError.self) { try Condition(parsing: String(repeating: "(", count: 40) + "true" + String(repeating: ")", count: 40)) }
    }
}
