import Foundation
import Testing
import WebDriver

@Suite("Timestamps in file and run names")
struct FileNameTimestampTests {
    @Test("are UTC, zero-padded, and sort as text")
    func format() {
        let moment = Date(timeIntervalSince1970: 1_795_460_712.1234)  // 2026-11-23 19:05:12.123 UTC
        #expect(FileNameTimestamp.string(moment) == "20261123-190512")
        #expect(FileNameTimestamp.string(moment, milliseconds: true) == "20261123-190512-123")
        let earlier = Date(timeIntervalSince1970: 946_684_800.005)  // 2000-01-01 00:00:00.005
        #expect(FileNameTimestamp.string(earlier, milliseconds: true) == "20000101-000000-005")
        #expect(FileNameTimestamp.string(earlier) < FileNameTimestamp.string(moment))
    }
}
