import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What this process itself has cost so far, the browser and chromedriver aside: CPU time from
/// `getrusage(RUSAGE_SELF)` and peak resident memory (`VmHWM` in `/proc/self/status`).
///
/// `ferry run --timings` prints it to stderr at the end, for `bench/run`.
struct ProcessTimings {
    let wall: Duration
    let userCPU: Duration
    let systemCPU: Duration
    /// Peak resident set size in KiB (0 where /proc is not available).
    let peakResidentKiB: Int

    static func measure(since started: ContinuousClock.Instant) -> ProcessTimings {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return ProcessTimings(
            wall: ContinuousClock.now - started, userCPU: duration(usage.ru_utime), systemCPU: duration(usage.ru_stime),
            peakResidentKiB: peakResident())
    }

    private static func peakResident() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }

    /// One line a script can parse: `ferry timings: wall_ms=1234.5 user_ms=80.1 sys_ms=20.3 cpu_pct=8.1 peak_rss_kib=45000`.
    var line: String {
        func ms(_ duration: Duration) -> Double { Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15 }
        let cpu = ms(userCPU) + ms(systemCPU)
        let share = ms(wall) > 0 ? cpu / ms(wall) * 100 : 0
        return String(
            format: "ferry timings: wall_ms=%.1f user_ms=%.1f sys_ms=%.1f cpu_pct=%.2f peak_rss_kib=%d",
            ms(wall), ms(userCPU), ms(systemCPU), share, peakResidentKiB)
    }
}
