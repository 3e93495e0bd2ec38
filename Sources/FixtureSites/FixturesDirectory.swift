import Foundation

/// Finds the folder with the sites' templates (`clinic/` and `ledger/`).
///
/// In order: the configured folder, the environment variable `FERRY_FIXTURES_DIR`, then the
/// `fixtures/` folder of the package this source file belongs to, found by walking up from
/// `#filePath` (this works for `swift run` and `swift test` in a checkout).
enum FixturesDirectory {
    static let environmentVariable = "FERRY_FIXTURES_DIR"

    static func resolve(
        configured: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sourceFile: String = #filePath
    ) throws -> String {
        if let configured, !configured.isEmpty {
            return try validated(configured, origin: "--fixtures-dir")
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return try validated(fromEnvironment, origin: environmentVariable)
        }
        var folder = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            let candidate = folder.appendingPathComponent("fixtures")
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
                isFixtures(candidate.path)
            {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        throw FixtureError(
            .fixturesNotFound,
            "cannot find the fixtures folder (with clinic/ and ledger/): pass --fixtures-dir PATH or set \(environmentVariable)"
        )
    }

    private static func validated(_ path: String, origin: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard isFixtures(absolute) else {
            throw FixtureError(
                .fixturesNotFound,
                "\(absolute) (from \(origin)) is not a fixtures folder: it needs clinic/ and ledger/ subfolders with the templates"
            )
        }
        return absolute
    }

    private static func isFixtures(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FixtureSite.allCases.allSatisfy { site in
            FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(site.rawValue), isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }
}
