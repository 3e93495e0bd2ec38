import Crypto
import Foundation

/// Downloads: click something, then wait until the file has fully landed.
extension WebDriverSession {
    /// Clicks the element and waits until the file it starts has fully landed: a file is there, no
    /// `.crdownload` is left, and its size has stopped changing.
    ///
    /// Each download lands in a fresh subfolder of the download folder: Chromium, told to allow downloads
    /// through DevTools, overwrites a file of the same name, and an earlier download must never be lost.
    /// - Throws: `waitTimeout` naming the partial file and its size when the download does not finish in time.
    public func download(clicking element: WebDriverElement, timeout: Duration = .seconds(60)) async throws(WebDriverError) -> DownloadedFile {
        guard let base = downloadDirectory else {
            throw WebDriverError(
                code: .invalidArgument, command: "download",
                message: "no download folder is set; set BrowserOptions.downloadDirectory or call setDownloadDirectory first")
        }
        let directory = base + "/" + Self.freshFolderName()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WebDriverError(code: .invalidArgument, command: "download", message: "cannot create \(directory): \(error.localizedDescription)")
        }
        try await devTools("Browser.setDownloadBehavior", ["behavior": "allow", "downloadPath": .string(directory), "eventsEnabled": true])
        let page = try await currentURL()
        try await element.clickWhenReceivable(timeout: min(timeout, .seconds(30)))
        return try await waitForDownload(in: directory, besides: [], timeout: timeout, locator: element.locator, page: page)
    }

    /// How often the download folder is looked at (a directory listing costs microseconds).
    static let downloadPoll: Duration = .milliseconds(10)

    /// `20261123-190512-123-4f2a` (UTC): sorts by time, never repeats.
    private static func freshFolderName() -> String {
        FileNameTimestamp.string(Date(), milliseconds: true) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    func waitForDownload(in directory: String, besides before: Set<String>, timeout: Duration, locator: Locator?, page: String? = nil) async throws(WebDriverError) -> DownloadedFile {
        let started = ContinuousClock.now
        var previous: [String: Int] = [:]
        var lastPageCheck = started
        while ContinuousClock.now - started < timeout {
            let now = Self.listing(directory)
            let fresh = now.filter { !before.contains($0.key) }
            // A click that led to another page (an expired session's login form) will not download: say so now.
            if fresh.isEmpty, let page, ContinuousClock.now - lastPageCheck >= .seconds(1) {
                lastPageCheck = ContinuousClock.now
                if let here = try? await currentURL(), here != page {
                    throw WebDriverError(
                        code: .noDownload, command: "download", locator: locator,
                        message: "the click opened \(here) instead of downloading a file")
                }
            }
            // Chromium writes into `.crdownload` and renames the file when it is complete; the size must
            // also be the same at two looks in a row (a browser or grid that writes in place).
            let partial = fresh.keys.contains { Self.isPartial($0) }
            if !partial, let finished = fresh.keys.sorted().first(where: { !Self.isPartial($0) }),
                previous[finished] == now[finished]
            {
                return try Self.describeFile(at: directory + "/" + finished)
            }
            previous = now
            try? await Task.sleep(for: Self.downloadPoll)
        }
        let fresh = Self.listing(directory).filter { !before.contains($0.key) }
        let state = fresh.isEmpty
            ? "nothing arrived in \(directory)"
            : fresh.map { "\($0.key) has \($0.value) bytes" }.sorted().joined(separator: ", ")
        throw WebDriverError(
            code: .waitTimeout, command: "download", locator: locator,
            message: "the download did not finish within \(timeout): \(state); the server may have stalled, or raise the timeout")
    }

    private static func isPartial(_ name: String) -> Bool {
        name.hasSuffix(".crdownload") || name.hasSuffix(".tmp") || name.hasPrefix(".com.google.Chrome")
    }

    /// File names in a folder with their sizes.
    private static func listing(_ directory: String) -> [String: Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var result: [String: Int] = [:]
        for name in names {
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            result[name] = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        return result
    }

    static func describeFile(at path: String) throws(WebDriverError) -> DownloadedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebDriverError(code: .unknownError, command: "download", message: "\(path) landed but cannot be read")
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return DownloadedFile(path: path, size: data.count, sha256: digest)
    }
}
