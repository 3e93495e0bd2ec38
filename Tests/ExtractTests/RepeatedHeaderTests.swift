import Extract
import Testing

/// Long pages repeat their header row every so many rows, and their scripts decorate the copies
/// differently (sort arrows on the top one, another case on the repeats): none of them is a record.
@Suite("Repeated header rows are not records")
struct RepeatedHeaderTests {
    @Test("a repeat written with td cells and other case is skipped, though the top header carries sort arrows")
    func decoratedRepeats() throws {
        let set = try ExtractFixture.table("""
            <table><thead><tr><th>ID ▲▼</th><th>Name ▲▼</th><th>Amount ▲▼</th></tr></thead><tbody>
            <tr><td>1</td><td>Line 1</td><td>1.07</td></tr>
            <tr class="repeat"><td><b>Id</b> ▲</td><td><b>Name</b></td><td><b>Amount</b></td></tr>
            <tr><td>2</td><td>Line 2</td><td>1.14</td></tr>
            </tbody></table>
            """)
        #expect(set.rows.map { $0[0] } == ["1", "2"])
    }

    @Test("a repeat with an empty cell is still a repeat; a record that shares one word with the header is kept")
    func partialRepeats() throws {
        let set = try ExtractFixture.table("""
            <table><tr><th>Status</th><th>Name</th><th>Note</th></tr>
            <tr><td>Status</td><td>Name</td><td></td></tr>
            <tr><td>status</td><td>Ada</td><td>name</td></tr>
            </table>
            """)
        #expect(set.rows == [["status", "Ada", "name"]])
    }
}
