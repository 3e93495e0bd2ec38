import Foundation

/// Evaluates an ``Expression`` against a ``TemplateContext``.
struct ExpressionEvaluator {
    let context: TemplateContext
    let source: String
    let location: SourceLocation?

    private func failure(_ message: String) -> TemplateError {
        TemplateError(message, source: source, location: location)
    }

    func evaluate(_ expression: Expression) throws(TemplateError) -> TemplateValue {
        switch expression {
        case .reference(let reference):
            return try resolve(reference)
        case .literal(let text):
            return .text(text)
        case .boolean(let value):
            return .text(value ? "true" : "false")
        case .today:
            return .text(DateText.day(context.now, in: context.timeZone))
        case .now:
            return .text(DateText.timestamp(context.now, in: context.timeZone))
        case .shifted(let inner, let duration, let forward):
            let value = try evaluate(inner)
            guard let text = value.text, let shifted = DateText.shift(text, by: duration, forward: forward, in: context.timeZone) else {
                throw failure("\(describe(inner, value)) is not a date (yyyy-MM-dd) or time, so it cannot move by \(duration)")
            }
            return TemplateValue(.text(shifted), isSecret: value.isSecret)
        case .filtered(let inner, .default(let fallback)):
            // A missing value takes the default too, not only an empty one.
            guard let value = try? evaluate(inner) else { return .text(fallback) }
            return try apply(.default(fallback), to: value, describing: inner)
        case .filtered(let inner, let filter):
            return try apply(filter, to: try evaluate(inner), describing: inner)
        case .comparison(let left, let comparison, let right):
            let lhs = try evaluate(left)
            let rhs = try evaluate(right)
            return .text(try compare(lhs, comparison, rhs) ? "true" : "false")
        case .not(let inner):
            return .text(Self.truth(of: try evaluate(inner)) ? "false" : "true")
        case .and(let left, let right):
            guard Self.truth(of: try evaluate(left)) else { return .text("false") }
            return .text(Self.truth(of: try evaluate(right)) ? "true" : "false")
        case .or(let left, let right):
            guard !Self.truth(of: try evaluate(left)) else { return .text("true") }
            return .text(Self.truth(of: try evaluate(right)) ? "true" : "false")
        }
    }

    static func truth(of value: TemplateValue) -> Bool {
        switch value.content {
        case .records(let records): !records.isEmpty
        case .text(let text): !["", "false", "0", "no"].contains(text.trimmingCharacters(in: .whitespaces).lowercased())
        }
    }

    private func resolve(_ reference: Reference) throws(TemplateError) -> TemplateValue {
        guard let scope = context.scope(reference.root) else {
            throw failure("'\(reference.root)' has no values here")
        }
        guard let field = reference.field else {
            throw failure("name a value inside '\(reference.root)', like '\(reference.root).name'")
        }
        guard let value = scope[field] else {
            throw failure("there is no value for '\(reference.root).\(field)' yet")
        }
        if reference.root == "vars", reference.path.count == 2 {
            return try recordField(value, reference)
        }
        return value
    }

    /// `vars.summary.total`: a field of the one record the variable holds.
    private func recordField(_ value: TemplateValue, _ reference: Reference) throws(TemplateError) -> TemplateValue {
        let name = "vars.\(reference.path[0])"
        guard case .records(let records) = value.content else {
            throw failure("'\(name)' is text, so it has no field '\(reference.path[1])'")
        }
        guard records.count == 1 else {
            throw failure("'\(name)' holds \(records.count) records, but '\(reference)' reads the field of exactly one (an 'extract' of 'fields:', a report's footer)")
        }
        guard let text = records[0][reference.path[1]] else {
            throw failure("the record in '\(name)' has no field '\(reference.path[1])'; it has \(records[0].keys.sorted().joined(separator: ", "))")
        }
        return TemplateValue(.text(text), isSecret: value.isSecret)
    }

    private func describe(_ expression: Expression, _ value: TemplateValue) -> String {
        if case .reference(let reference) = expression {
            return value.isSecret ? "'\(reference)'" : "'\(reference)' ('\(value)')"
        }
        return value.isSecret ? "a secret value" : "'\(value)'"
    }

    private func apply(_ filter: TemplateFilter, to value: TemplateValue, describing expression: Expression) throws(TemplateError) -> TemplateValue {
        if case .count = filter {
            guard case .records(let records) = value.content else { throw failure("'| count' counts records; \(describe(expression, value)) is text") }
            return .text(String(records.count))
        }
        if case .default(let fallback) = filter, value.text?.isEmpty ?? false {
            return .text(fallback)
        }
        guard let text = value.text else {
            throw failure("a list of records cannot be written as text; use '| count' for how many")
        }
        let result: String
        switch filter {
        case .upper: result = text.uppercased()
        case .lower: result = text.lowercased()
        case .trim: result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .urlencode: result = text.addingPercentEncoding(withAllowedCharacters: Self.queryValueCharacters) ?? text
        case .date(let pattern):
            guard let formatted = DateText.format(text, pattern: pattern, in: context.timeZone) else {
                throw failure("\(describe(expression, value)) is not a date (yyyy-MM-dd) or time to format")
            }
            result = formatted
        case .default, .count: result = text
        }
        return TemplateValue(.text(result), isSecret: value.isSecret)
    }

    private static let queryValueCharacters: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    private func compare(_ lhs: TemplateValue, _ comparison: ComparisonOperator, _ rhs: TemplateValue) throws(TemplateError) -> Bool {
        guard let left = lhs.text, let right = rhs.text else {
            throw failure("records cannot be compared; use '| count' to compare how many")
        }
        let numbers = (Double(left.trimmingCharacters(in: .whitespaces)), Double(right.trimmingCharacters(in: .whitespaces)))
        switch comparison {
        case .equal: if let l = numbers.0, let r = numbers.1 { return l == r } else { return left == right }
        case .notEqual: if let l = numbers.0, let r = numbers.1 { return l != r } else { return left != right }
        case .less: if let l = numbers.0, let r = numbers.1 { return l < r } else { return left < right }
        case .lessOrEqual: if let l = numbers.0, let r = numbers.1 { return l <= r } else { return left <= right }
        case .greater: if let l = numbers.0, let r = numbers.1 { return l > r } else { return left > right }
        case .greaterOrEqual: if let l = numbers.0, let r = numbers.1 { return l >= r } else { return left >= right }
        case .contains: return left.contains(right)
        case .matches:
            guard let regex = try? NSRegularExpression(pattern: right) else {
                throw failure(rhs.isSecret ? "a secret value is not a regular expression" : "'\(right)' is not a valid regular expression")
            }
            return regex.firstMatch(in: left, range: NSRange(left.startIndex..., in: left)) != nil
        }
    }
}
