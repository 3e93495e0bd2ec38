import Foundation
import Testing
import Transport

@Suite("CurlTransport")
struct CurlTransportTests {
    @Test("sends the method, path and body, and returns status, headers and body")
    func roundTrip() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let transport = try CurlTransport()

        let response = try await transport.send(HTTPRequest(method: "POST", url: server.url + "/session", body: Data("{\"a\":1}".utf8)))

        #expect(response.status == 200)
        #expect(response.text == "POST /session 7")
        #expect(response.headers["x-ferry-test"] == "yes")
    }

    @Test("reuses one kept-alive connection for consecutive requests")
    func keepAlive() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let transport = try CurlTransport()

        var opened: [Bool] = []
        for index in 0..<20 {
            let method = index.isMultiple(of: 2) ? "GET" : "POST"
            let body: Data? = method == "POST" ? Data(repeating: 65, count: 4096) : nil
            opened.append(try await transport.send(HTTPRequest(method: method, url: server.url + "/n/\(index)", body: body)).openedConnection)
        }

        #expect(opened.first == true)
        #expect(opened.dropFirst().allSatisfy { !$0 })
        #expect(server.acceptedConnections == 1)
    }

    @Test("a refused connection is a transient 'could not connect' error naming the URL")
    func refused() async throws {
        let server = try LoopbackHTTPServer()
        let url = server.url + "/status"
        server.stop()
        let transport = try CurlTransport(connectTimeout: .seconds(1))

        let error = await #expect(throws: TransportError.self) { try await transport.send(HTTPRequest(url: url)) }

        #expect(error?.code == .couldNotConnect)
        #expect(error?.isTransient == true)
        #expect(error?.description.contains(url) == true)
    }

    @Test("a server that never answers times out after the request's limit")
    func timeout() async throws {
        let server = try LoopbackHTTPServer(silent: true)
        defer { server.stop() }
        let transport = try CurlTransport()

        let error = await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(url: server.url + "/slow", timeout: .milliseconds(200)))
        }

        #expect(error?.code == .timedOut)
    }

    @Test("requests from many tasks at once are all answered on the transport's own thread")
    func concurrentCallers() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let transport = try CurlTransport()

        let texts = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<50 {
                group.addTask { try await transport.send(HTTPRequest(url: server.url + "/c/\(index)")).text }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }

        #expect(texts.count == 50)
        #expect(server.acceptedConnections == 1)
    }
}
