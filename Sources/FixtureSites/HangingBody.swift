import Hummingbird

/// The body of a download that never finishes: it sends a few bytes, then writes nothing more.
///
/// It ends (by aborting the connection, so the client sees an incomplete download) when the client
/// goes away, when the servers stop, or after ``limit``; so it never holds graceful shutdown for long.
enum HangingBody {
    /// How long a hanging download stays open at most.
    static let limit: Duration = .seconds(600)

    struct Ended: Error, CustomStringConvertible {
        var description: String { "A hanging download was ended on purpose (fault switch or lab page)." }
    }

    /// The body: `prefix`, then silence until the client goes away, the servers stop or ``limit`` passes.
    static func make(prefix: String, request: Request, shutdown: ShutdownSignal) -> ResponseBody {
        ResponseBody { writer in
            try await writer.write(ByteBuffer(string: prefix))
            // The wait is cancelled when the client closes its side, so an abandoned download does not
            // keep a task alive for ten minutes.
            try await request.body.consumeWithCancellationOnInboundClose { _ in
                let clock = ContinuousClock()
                let deadline = clock.now.advanced(by: limit)
                while !shutdown.isStopping, clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            throw Ended()
        }
    }
}
