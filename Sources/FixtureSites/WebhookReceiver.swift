import Foundation
import Hummingbird
import Synchronization

/// The operations team's alert channel, as tests need it: a real HTTP endpoint on 127.0.0.1 that
/// keeps what is posted to it; it can refuse the first posts with HTTP 500 to show that delivery is retried.
public final class WebhookReceiver: Sendable {
    private let bodies = Mutex<[Data]>([])
    private let refusals = Mutex(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    /// Where to post: `http://127.0.0.1:PORT/hook`.
    public let url: String

    private init(url: String) {
        self.url = url
    }

    /// Each JSON object posted so far, oldest first.
    public var received: [[String: String]] {
        bodies.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: String] }
    }

    public static func start(refusingFirst refused: Int = 0) async throws -> WebhookReceiver {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let holder = Mutex<WebhookReceiver?>(nil)
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let receiver = holder.withLock({ $0 }) else { return .serviceUnavailable }
            let refuse = receiver.refusals.withLock { count -> Bool in
                count += 1
                return count <= refused
            }
            if refuse { return .internalServerError }
            receiver.bodies.withLock { $0.append(Data(buffer: body)) }
            return .ok
        }
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        let receiver = WebhookReceiver(url: "http://127.0.0.1:\(port)/hook")
        holder.withLock { $0 = receiver }
        receiver.task.withLock { $0 = task }
        return receiver
    }

    public func stop() {
        task.withLock { $0?.cancel() }
    }
}
