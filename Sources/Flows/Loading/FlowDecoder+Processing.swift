import Extract
import Foundation

/// The data steps that shape records before they become work items: `normalize` and `reconcile`.
extension FlowDecoder {
    func normalize(_ node: YAMLNode) -> StepAction? {
        withFields(node, "'normalize'") { fields in
            let records = required(&fields, "records").flatMap { variableName($0, "'records'") }
            let invalid = fields.take("invalid").flatMap { choice($0, "'invalid'", NormalizeStep.Invalid.self) } ?? .review
            var normalized: [NormalizeStep.Field] = []
            if let node = required(&fields, "fields"), let mapping = mapping(node, "'fields'") {
                if mapping.entries.isEmpty { error(.invalidValue, at: mapping.location, "'fields' is empty; name each field and its type, like amount: money") }
                normalized = mapping.entries.compactMap { entry in
                    guard let name = checkedName(entry.key.value, "field name", style: .snake, at: entry.key.location) else { return nil }
                    return normalizedField(name, entry.value)
                }
                guard normalized.count == mapping.entries.count else { return nil }
            }
            guard let records, !normalized.isEmpty else { return nil }
            return .normalize(NormalizeStep(records: records, fields: normalized, invalid: invalid))
        }
    }

    /// `amount: money` or `amount: { type: money, required: true }`, `date: { type: date, formats: [...] }`.
    private func normalizedField(_ name: String, _ node: YAMLNode) -> NormalizeStep.Field? {
        let what = "field '\(name)'"
        if case .scalar = node {
            guard let type = choice(node, "the type of \(what)", FieldType.self) else { return nil }
            if type == .date { error(.missingKey, at: node.location, "\(what) is a date: say how the source writes it, like { type: date, formats: [\"dd.MM.yyyy\"] }") }
            return NormalizeStep.Field(name: name, type: type, location: node.location)
        }
        guard let mapping = mapping(node, what) else { return nil }
        var fields = MappingFields(mapping, what: what)
        let type = required(&fields, "type").flatMap { choice($0, "'type'", FieldType.self) }
        let isRequired = fields.take("required").flatMap { bool($0, "'required'") } ?? false
        var formats: [String] = []
        if let formatsNode = fields.take("formats") {
            if let list = sequence(formatsNode, "'formats'") {
                formats = list.items.compactMap { text($0, "a date format") }
                if formats.isEmpty { error(.invalidValue, at: list.location, "'formats' is empty; list the patterns the source uses, like \"dd.MM.yyyy\"") }
                for (item, format) in zip(list.items, formats) where !Self.isDatePattern(format) {
                    error(.invalidValue, at: item.location, "'\(format)' is not a date pattern; use letters like yyyy, MM, dd (e.g. \"dd.MM.yyyy\")")
                }
            }
            if type != nil, type != .date { error(.invalidValue, at: formatsNode.location, "'formats' applies to dates only") }
        } else if type == .date {
            error(.missingKey, at: mapping.location, "\(what) is a date: add 'formats', the patterns the source writes it in, like [\"dd.MM.yyyy\"]")
        }
        finish(fields)
        guard let type else { return nil }
        return NormalizeStep.Field(name: name, type: type, required: isRequired, formats: formats, location: mapping.location)
    }

    /// A pattern needs a year, a month and a day, and only the letters of those.
    private static func isDatePattern(_ pattern: String) -> Bool {
        let letters = Set(pattern.filter(\.isLetter))
        return letters.contains("y") && (letters.contains("M") || letters.contains("L")) && letters.contains("d")
            && letters.isSubset(of: ["y", "M", "L", "d", "E"])
    }

    // MARK: Reconcile

    func reconcile(_ node: YAMLNode) -> StepAction? {
        guard let list = sequence(node, "'reconcile' (a list of gates)") else { return nil }
        if list.items.isEmpty { error(.invalidValue, at: list.location, "'reconcile' has no gates") }
        var names = Set<String>()
        let gates = list.items.compactMap { item -> ReconcileStep.Gate? in
            guard let gate = gate(item) else { return nil }
            if !names.insert(gate.name).inserted { error(.duplicateName, at: gate.location, "two gates are named '\(gate.name)'; each keeps its own figures, so name them apart") }
            return gate
        }
        guard gates.count == list.items.count, !gates.isEmpty else { return nil }
        return .reconcile(ReconcileStep(gates: gates))
    }

    private func gate(_ node: YAMLNode) -> ReconcileStep.Gate? {
        guard let mapping = mapping(node, "a gate") else { return nil }
        var fields = MappingFields(mapping, what: "a gate")
        let name = required(&fields, "name").flatMap { self.name($0, "a gate's 'name'", style: .snake) }
        let says = fields.take("says").flatMap { text($0, "'says'") }
        let figure = required(&fields, "figure").flatMap { self.figure($0, "'figure'") }
        let equalsNode = fields.take("equals")
        let equals = equalsNode.flatMap { self.figure($0, "'equals'") }
        let toleranceNode = fields.take("tolerance")
        let tolerance = toleranceNode.flatMap { number($0, "'tolerance'") } ?? 0
        let withinNode = fields.take("within")
        let within = withinNode.flatMap { percent($0) }
        let baselineNode = fields.take("baseline")
        let baseline = baselineNode.flatMap { template($0, "'baseline'") }
        finish(fields)
        if equalsNode == nil, withinNode == nil {
            error(.missingKey, at: mapping.location, "a gate compares its figure: add 'equals' (another figure of this run) or 'within' (a percentage of the last run's figure)")
        }
        if let toleranceNode, equalsNode == nil { error(.invalidValue, at: toleranceNode.location, "'tolerance' applies to 'equals'") }
        if let baselineNode, withinNode == nil { error(.invalidValue, at: baselineNode.location, "'baseline' applies to 'within'") }
        guard let name, let figure else { return nil }
        return ReconcileStep.Gate(
            name: name, says: says, figure: figure, equals: equals, tolerance: tolerance, withinPercent: within, baseline: baseline,
            location: mapping.location)
    }

    /// `{ count: appointments }`, `{ sum: billing.amount }`, `{ value: billing_report.total }`.
    private func figure(_ node: YAMLNode, _ what: String) -> ReconcileStep.Figure? {
        let shape = "\(what) is one of { count: RECORDS }, { sum: RECORDS.FIELD } or { value: RECORDS.FIELD }"
        guard case .mapping(let mapping) = node, mapping.entries.count == 1, let entry = mapping.entries.first else {
            error(.wrongType, at: node.location, shape)
            return nil
        }
        guard let text = text(entry.value, "\(what)'s '\(entry.key.value)'") else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch entry.key.value {
        case "count":
            guard parts.count == 1 else {
                error(.invalidValue, at: entry.value.location, "'count' takes a records variable, like count: appointments")
                return nil
            }
            return checkedName(text, "a records variable", style: .snake, at: entry.value.location).map { .count(records: $0) }
        case "sum", "value":
            guard parts.count == 2,
                let records = checkedName(parts[0], "a records variable", style: .snake, at: entry.value.location),
                let field = checkedName(parts[1], "a field name", style: .snake, at: entry.value.location)
            else {
                if parts.count != 2 { error(.invalidValue, at: entry.value.location, "'\(entry.key.value)' takes RECORDS.FIELD, like \(entry.key.value): billing.amount") }
                return nil
            }
            return entry.key.value == "sum" ? .sum(records: records, field: field) : .value(records: records, field: field)
        default:
            let hint = Suggestion.closest(to: entry.key.value, in: ["count", "sum", "value"]).map { "; did you mean '\($0)'?" } ?? ""
            error(.unknownKey, at: entry.key.location, "unknown figure '\(entry.key.value)'\(hint); \(shape)")
            return nil
        }
    }

    /// `50%` or `12.5%`, more than 0.
    private func percent(_ node: YAMLNode) -> Double? {
        guard let text = text(node, "'within'") else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("%"), let value = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else {
            error(.invalidValue, at: node.location, "'within' is a percentage more than 0, like within: 30%, found '\(text)'")
            return nil
        }
        return value
    }

    private func number(_ node: YAMLNode, _ what: String) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.value), value >= 0, value.isFinite else {
            error(.wrongType, at: node.location, "\(what) must be a number of 0 or more, like 0.01")
            return nil
        }
        return value
    }
}
