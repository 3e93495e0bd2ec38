import Foundation
@testable import FixtureSites

/// Starts both sites on free ports for one test and always stops them afterwards.
func withSites<T>(
    seed: UInt64 = 42, _ body: (FixtureServer, FixtureEndpoints) async throws -> T
) async throws -> T {
    let sites = FixtureServer(FixtureConfiguration(seed: seed))
    let endpoints = try await sites.start()
    do {
        let result = try await body(sites, endpoints)
        await sites.stop()
        return result
    } catch {
        await sites.stop()
        throw error
    }
}

/// A weekday and a Sunday with stable data for every test.
enum Dates {
    static let weekday = ClinicDate("2026-11-20")!  // a Friday
    static let sunday = ClinicDate("2026-11-22")!
}

extension Page {
    /// The rows of `<table id="...">`'s body as arrays of cell texts.
    func tableRows(id: String) -> [[String]] {
        guard let table = firstMatch(#"<table id="\#(id)"[^>]*>(.*?)</table>"#),
            let body = Page.fragment(table).firstMatch(#"<tbody>(.*?)</tbody>"#)
        else { return [] }
        return Page.fragment(body).allMatches(#"<tr[^>]*>(.*?)</tr>"#).map { row in
            Page.fragment(row).allMatches(#"<td[^>]*>(.*?)</td>"#)
        }
    }

    static func fragment(_ html: String) -> Page {
        Page(status: 200, headers: [:], data: Data(html.utf8))
    }
}

extension Data {
    /// The CSV lines of an export, without the header and the final empty line.
    var csvDataLines: [String] {
        Array(String(decoding: self, as: UTF8.self).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty })
    }
}
