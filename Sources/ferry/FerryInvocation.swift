import Foundation

/// How a printed hint names this program so the command works when pasted: the path Ferry was started
/// by when it was started by a path (`.build/debug/ferry` after `make demo`, which is not on PATH),
/// otherwise `ferry` (found on PATH).
enum FerryInvocation {
    static var command: String {
        let started = CommandLine.arguments.first ?? "ferry"
        guard started.contains("/") else { return "ferry" }
        return started.contains(" ") ? "'\(started)'" : started
    }
}
