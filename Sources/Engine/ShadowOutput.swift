import Foundation
import Store
import Synchronization

/// What a shadow run would have entered: per work item, the value each field was filled with, by
/// the field's name (the last part of its selector key). Written at the end of the run as
/// `<run>/shadow-output.csv`, for `ferry compare` against what people did by hand.
final class ShadowOutput: Sendable {
    private let values = Mutex<[String: [String: String]]>([:])
    private let order = Mutex<[String]>([])

    func record(item: String, field: String, value: String) {
        let name = String(field.split(separator: ".").last ?? Substring(field))
        values.withLock { values in
            if values[item] == nil { order.withLock { $0.append(item) } }
            values[item, default: [:]][name] = value
        }
    }

    var isEmpty: Bool { values.withLock { $0.isEmpty } }

    /// `key` then the fields in the order first filled; one row per item.
    func csv() -> Data {
        let rows = values.withLock { $0 }
        let keys = order.withLock { $0 }
        var columns: [String] = []
        for key in keys { for name in (rows[key] ?? [:]).keys.sorted() where !columns.contains(name) { columns.append(name) } }
        var lines = [(["key"] + columns).map(Self.quoted).joined(separator: ",")]
        for key in keys {
            lines.append(([key] + columns.map { rows[key]?[$0] ?? "" }).map(Self.quoted).joined(separator: ","))
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let fileName = "shadow-output.csv"
}
