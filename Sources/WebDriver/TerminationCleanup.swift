import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Stops every running ``ChromeDriverService`` when the process is asked to end (SIGINT, SIGTERM,
/// SIGHUP), then exits with the conventional `128 + signal` status.
///
/// Without it a Ctrl-C would still leave nothing behind (each driver's watchdog reacts to Ferry's
/// death), but stopping here is immediate and lets the exit status say what happened.
public enum TerminationCleanup {
    private static let services = Mutex<[ObjectIdentifier: ChromeDriverService]>([:])
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Installs the signal handlers once; later calls do nothing.
    public static func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    stopAll()
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    static func register(_ service: ChromeDriverService) {
        services.withLock { $0[ObjectIdentifier(service)] = service }
    }

    static func unregister(_ service: ChromeDriverService) {
        _ = services.withLock { $0.removeValue(forKey: ObjectIdentifier(service)) }
    }

    /// Stops every registered driver now.
    public static func stopAll() {
        let running = services.withLock { services in
            defer { services.removeAll() }
            return Array(services.values)
        }
        running.forEach { $0.stop() }
    }
}
