import Foundation
import GRDB

/// One value of an exported row, as SQLite stores it.
public enum StoreCell: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

extension SQLiteRunStore {
    /// Every row of `table` in the order they were written (rowid), with the column names: what
    /// `ferry store copy` moves to another backend, unchanged.
    public func exportRows(table: String) throws(StoreError) -> (columns: [String], rows: [[StoreCell]]) {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid")
            let columns = try db.columns(in: table).map(\.name)
            return (columns, rows.map { row in
                columns.map { column -> StoreCell in
                    let value: DatabaseValue = row[column]
                    switch value.storage {
                    case .null: return .null
                    case .int64(let number): return .integer(number)
                    case .double(let number): return .real(number)
                    case .string(let text): return .text(text)
                    case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
                    }
                }
            })
        }
    }
}
