import PostgresNIO

/// A value bound to a `?` placeholder. Every column the store writes is TEXT or BIGINT (the same types
/// as the SQLite schema, so `ferry store copy` moves rows unchanged), so a value is one of those or NULL.
protocol SQLArgument: Sendable {
    func bind(into bindings: inout PostgresBindings)
}

extension String: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int64: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}

/// A list of text, for `unnest(?::text[])`.
extension Array: SQLArgument where Element == String {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

/// Booleans are 0 or 1 in a BIGINT column, as in SQLite.
extension Bool: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(Int64(self ? 1 : 0)) }
}

extension Optional: SQLArgument where Wrapped: SQLArgument {
    func bind(into bindings: inout PostgresBindings) {
        switch self {
        case .none: bindings.appendNull()
        case .some(let value): value.bind(into: &bindings)
        }
    }
}

/// A NULL whose type PostgreSQL infers from where it is used.
struct SQLNull: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.appendNull() }
}

enum SQLText {
    /// `?` placeholders numbered `$1`, `$2`, … (the store's SQL never has a `?` of its own).
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
