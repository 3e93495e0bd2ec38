import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Stops every running ``ChromeDriverService`` when the process is asked to end (SIGINT, SIGTERM,
/// SIGHUP), then exits with the conventional `128 + signal` status. Handlers added with
/// ``beforeStopping(_:)`` run first (the engine records its runs as interrupted there).
///
/// Without it a Ctrl-C would still leave nothing behind (each driver's watchdog reacts to Ferry's
/// death), but stopping here is immediate and lets the exit status say what happened.
public enum TerminationCleanup {
    private static let services = Mutex<[ObjectIdentifier: ChromeDriverService]>([:])
    private static let sources = Mutex<[any DispatchSourceSignal]>([])
    private static let handlers = Mutex<[@Sendable (Int32) -> Void]>([])
    private static let remoteSessions = Mutex<[ObjectIdentifier: WebDriverSession]>([:])

    /// Installs the signal handlers once; later calls do nothing.
    public static func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    for handler in handlers.withLock({ $0 }) { handler(signalNumber) }
                    stopAll()
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Adds a handler that runs, with the signal's number, when a signal ends the process: before the
    /// drivers are stopped, while the process's work still runs normally. It must not wait on that work.
    public static func beforeStopping(_ handler: @escaping @Sendable (Int32) -> Void) {
        handlers.withLock { $0.append(handler) }
    }

    static func register(_ service: ChromeDriverService) {
        services.withLock { $0[ObjectIdentifier(service)] = service }
    }

    static func unregister(_ service: ChromeDriverService) {
        _ = services.withLock { $0.removeValue(forKey: ObjectIdentifier(service)) }
    }

    /// Ends `session` too when a signal stops the process. For a session on a remote end this process did
    /// not start (a Selenium Grid, another host's chromedriver): stopping this process's drivers does not
    /// reach its browser, which would otherwise hold one of the remote end's slots until it times out.
    public static func endOnStop(_ session: WebDriverSession) {
        remoteSessions.withLock { $0[ObjectIdentifier(session)] = session }
    }

    /// Forgets a session given to ``endOnStop(_:)`` that has ended.
    public static func forget(_ session: WebDriverSession) {
        _ = remoteSessions.withLock { $0.removeValue(forKey: ObjectIdentifier(session)) }
    }

    /// Ends every session given to ``endOnStop(_:)`` (all at once, a few seconds at most each), then stops
    /// every registered driver.
    public static func stopAll() {
        let remote = remoteSessions.withLock { sessions in
            defer { sessions.removeAll() }
            return Array(sessions.values)
        }
        DispatchQueue.concurrentPerform(iterations: remote.count) { remote[$0].quitNow(within: .seconds(5)) }
        let running = services.withLock { services in
            defer { services.removeAll() }
            return Array(services.values)
        }
        running.forEach { $0.stop() }
    }
}
