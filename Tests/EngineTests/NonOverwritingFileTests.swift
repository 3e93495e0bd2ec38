import Engine
import Foundation
import Testing

@Suite("Evidence files are never overwritten")
struct NonOverwritingFileTests {
    @Test("a taken name gets -2, -3 before its extension, and every file keeps its own bytes")
    func numbering() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-nonoverwriting-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = NonOverwritingFile.write(Data("one".utf8), to: folder + "/page.html")
        let second = NonOverwritingFile.write(Data("two".utf8), to: folder + "/page.html")
        let third = NonOverwritingFile.write(Data(), to: folder + "/page.html")
        #expect(first == folder + "/page.html")
        #expect(second == folder + "/page-2.html")
        #expect(third == folder + "/page-3.html")
        #expect(FileManager.default.contents(atPath: folder + "/page.html") == Data("one".utf8))
        #expect(FileManager.default.contents(atPath: folder + "/page-2.html") == Data("two".utf8))
        #expect(FileManager.default.contents(atPath: folder + "/page-3.html") == Data())
    }

    @Test("a folder that does not exist gives nil, not a crash")
    func missingFolder() {
        #expect(NonOverwritingFile.write(Data("x".utf8), to: "/nonexistent-ferry-folder/page.html") == nil)
    }
}
