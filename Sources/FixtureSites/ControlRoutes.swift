import Foundation
import Hummingbird

/// The control endpoint of a site, for tests and demos (no login):
///
/// - `GET /_control/faults`: the current switches as JSON.
/// - `POST /_control/faults`: replace all switches with the JSON body (see ``FixtureFaults``).
/// - `POST /_control/reset`: clear the switches and whatever `reset` clears (the ledger's entries).
enum ControlRoutes {
    static func add(
        to router: Router<BasicRequestContext>, faults: FaultSwitches, reset: @escaping @Sendable () -> Void
    ) {
        router.get("/_control/faults") { _, _ in
            json(faults.current)
        }
        router.post("/_control/faults") { request, context in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let data = Data(body.readableBytesView)
            do {
                let decoded = data.isEmpty ? FixtureFaults.none : try JSONDecoder().decode(FixtureFaults.self, from: data)
                faults.set(decoded)
                return json(decoded)
            } catch {
                return .text(
                    "{\"error\": \(quoted("Cannot set the faults: \(describe(error))"))}\n",
                    contentType: "application/json", status: .badRequest
                )
            }
        }
        router.post("/_control/reset") { _, _ in
            faults.set(.none)
            reset()
            return json(faults.current)
        }
    }

    private static func json(_ faults: FixtureFaults) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(faults)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return .text(text + "\n", contentType: "application/json")
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : path + ": ") + context.debugDescription
        default:
            return "\(error)"
        }
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"error\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
