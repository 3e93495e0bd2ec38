import Foundation
import Testing
@testable import Flows

@Suite("Secrets")
struct SecretTests {
    private func declaration(_ source: SecretSource) -> SecretDeclaration {
        SecretDeclaration(name: "clinic_password", source: source, location: SourceLocation(file: "f.yaml", line: 1, column: 1))
    }

    @Test("sources are env:NAME or file:PATH#KEY, never a value")
    func parsing() {
        #expect(SecretSource.parse("env:CLINIC_PASSWORD") == .success(.environment("CLINIC_PASSWORD")))
        #expect(SecretSource.parse("file:~/.config/ferry/secrets.env#LEDGER") == .success(.file(path: "~/.config/ferry/secrets.env", key: "LEDGER")))
        #expect(SecretSource.parse("hunter2") == .failure(.literal))
        #expect(SecretSource.parse("env:") == .failure(.badEnvironmentName))
        #expect(SecretSource.parse("file:secrets.env#KEY") == .failure(.relativePath))
        #expect(SecretSource.parse("file:/etc/ferry/secrets.env") == .failure(.missingKey))
    }

    @Test("resolves from the environment, marked secret")
    func environment() throws {
        let resolver = SecretResolver(environment: ["CLINIC_PASSWORD": "pa55"])

        let value = try resolver.resolve(declaration(.environment("CLINIC_PASSWORD")))

        #expect(value == .secret("pa55"))
        #expect(value.description == "•••")
    }

    @Test("resolves NAME=value lines of a secrets file under the home folder")
    func file() throws {
        let contents = "# Ferry secrets\nexport OTHER=x\nLEDGER_PASSWORD = \"led ger\"\n"
        let resolver = SecretResolver(environment: [:], homeDirectory: "/home/ops") { path in
            path == "/home/ops/.config/ferry/secrets.env" ? contents : nil
        }

        let value = try resolver.resolve(declaration(.file(path: "~/.config/ferry/secrets.env", key: "LEDGER_PASSWORD")))

        #expect(value.text == "led ger")
        #expect(value.isSecret)
    }

    @Test("a missing secret says where it was looked for and what to do, without any value")
    func missing() {
        let resolver = SecretResolver(environment: [:], homeDirectory: "/home/ops") { _ in "OTHER=leaked-value" }

        #expect(throws: SecretError.self) { try resolver.resolve(declaration(.environment("CLINIC_PASSWORD"))) }
        do {
            _ = try resolver.resolve(declaration(.file(path: "/etc/ferry.env", key: "KEY")))
        } catch {
            #expect(error.code == .keyMissing)
            #expect(error.description == "secret 'clinic_password' (file:/etc/ferry.env#KEY): /etc/ferry.env has no line KEY=...; add one")
            #expect(!error.description.contains("leaked-value"))
        }
    }

    @Test("the redactor masks secret values as written, percent-encoded and HTML-escaped")
    func redaction() {
        let redactor = Redactor(secrets: ["p&ss word", "", "p&ss"])

        #expect(redactor.redact("typed p&ss word into #pwd") == "typed ••• into #pwd")
        #expect(redactor.redact("GET /login?pwd=p%26ss%20word") == "GET /login?pwd=•••")
        #expect(redactor.redact("<input value=\"p&amp;ss word\">") == "<input value=\"•••\">")
        #expect(redactor.redact("nothing secret") == "nothing secret")
    }

    @Test("a run's redactor knows every secret value in its context, derived ones too")
    func redactorFromContext() throws {
        var context = TemplateContext()
        context.secrets["password"] = .text("pa55")
        let header = try Template(parsing: "Basic ${secrets.password}").render(in: context)
        context.vars["header"] = TemplateValue(.text(header.text), isSecret: header.isSecret)

        let redactor = Redactor(context: context)

        #expect(redactor.redact("sent Basic pa55") == "sent •••")
    }
}

@Suite("Durations")
struct FlowDurationTests {
    @Test("parses numbers with units, combined", arguments: [
        ("500ms", 500), ("10s", 10_000), ("2m", 120_000), ("1h", 3_600_000), ("1d", 86_400_000), ("1m30s", 90_000),
    ])
    func parses(text: String, milliseconds: Int64) {
        #expect(FlowDuration(parsing: text)?.milliseconds == milliseconds)
    }

    @Test("refuses what is not a duration", arguments: ["10", "10 s", "2 minutes", "-1s", "s", "1x", "1s1s", "", "99999999999s"])
    func refuses(text: String) {
        #expect(FlowDuration(parsing: text) == nil)
    }

    @Test("prints the shortest spelling")
    func description() {
        #expect(FlowDuration(milliseconds: 90_500).description == "1m30s500ms")
        #expect(FlowDuration.seconds(7200).description == "2h")
    }

    @Test("retry waits double, up to the maximum")
    func backoff() {
        let policy = RetryPolicy(attempts: 5, backoff: .seconds(2), maxBackoff: .seconds(5))

        #expect((1...5).map { policy.delay(beforeAttempt: $0).description } == ["0s", "2s", "4s", "5s", "5s"])
    }
}
