import Foundation
import Testing
@testable import FixtureSites

@Suite("Clinic portal: WebDriver lab pages")
struct LabPagesTests {
    @Test("every lab page is served without a login and has its landmarks")
    func landmarks() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            let expectations: [(String, [String])] = [
                ("/lab", [#"href="/lab/frames""#]),
                ("/lab/frames", [#"<iframe id="inner" name="inner" src="/lab/frame-inner""#]),
                ("/lab/frame-inner", [#"<p id="in-frame">Inside the frame</p>"#, #"<iframe id="nested""#]),
                ("/lab/alert", [#"id="alert""#, "alert('Hello from the clinic')", #"id="confirm""#, #"id="prompt""#, #"id="result""#]),
                ("/lab/windows", [#"<a id="open" target="_blank" href="/lab/popup">"#]),
                ("/lab/popup", ["<title>Popup</title>"]),
                ("/lab/overlay", [#"id="covered""#, #"<div id="cookie-banner" style="position: fixed;"#, #"id="dismiss""#]),
                ("/lab/stale", [#"<button id="refresh""#, #"<button id="target""#, #"id="count""#]),
                ("/lab/form", [#"id="name""#, #"<textarea id="notes""#, #"<option value="blue">"#, #"id="agree""#, #"type="radio""#, #"id="mirror""#, #"<input type="file" id="file""#, #"id="file-name""#]),
                ("/lab/download-slow", [#"href="/lab/never-ending.csv""#]),
            ]
            for (path, landmarks) in expectations {
                let page = try await client.get(path)
                #expect(page.status == 200, "\(path)")
                for landmark in landmarks { #expect(page.body.contains(landmark), "\(path) lacks \(landmark)") }
            }
        }
    }

    @Test("the delayed table takes rows and delay from the query")
    func delayedTable() async throws {
        try await withSites { _, endpoints in
            let page = try await WebClient(endpoints.clinic).get("/lab/delayed?rows=500&delay=300")
            #expect(page.body.contains("var rows = 500;"))
            #expect(page.body.contains("var delay = 300;"))
            #expect(page.body.contains(#"<table id="data""#))
            #expect(page.body.contains("'Loaded ' + rows + ' rows'"))
        }
    }

    @Test("the echo page lists URL-encoded and multipart fields, files by name and size")
    func echo() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            let plain = try await client.post("/lab/echo", form: [("name", "Zoë <b>"), ("color", "green")])
            #expect(plain.body.contains(#"<dd id="echo-name">Zoë &lt;b&gt;</dd>"#))
            #expect(plain.body.contains(#"<dd id="echo-color">green</dd>"#))

            let multipart = try await client.upload("/lab/echo", filename: "notes.txt", content: "hello", extra: [("agree", "yes")])
            #expect(multipart.body.contains(#"<dd id="echo-agree">yes</dd>"#))
            #expect(multipart.body.contains(#"<dd id="echo-file">notes.txt (5 bytes)</dd>"#))
        }
    }

    @Test("unknown pages get the site's 404 page")
    func notFound() async throws {
        try await withSites { _, endpoints in
            let page = try await WebClient(endpoints.ledger).get("/nothing-here")
            #expect(page.status == 404)
            #expect(page.body.contains("404 Not Found"))
        }
    }
}
