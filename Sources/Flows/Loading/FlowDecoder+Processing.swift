import Extract
import Foundation

/// The data steps that shape records before they become work items: `normalize`, `reshape` and `reconcile`.
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
                for (item, format) in zip(list.items, formats) {
                    if type == .datetime, !Self.isTimePattern(format) {
                        error(.invalidValue, at: item.location, "'\(format)' is not a date-and-time pattern; use letters like yyyy, MM, dd, HH, mm, ss (e.g. \"yyyy-MM-dd HH:mm:ss\")")
                    } else if type != .datetime, !Self.isDatePattern(format) {
                        let hint = Self.isTimePattern(format) ? "; it has a time of day, so the field is a 'type: datetime'" : "; use letters like yyyy, MM, dd (e.g. \"dd.MM.yyyy\")"
                        error(.invalidValue, at: item.location, "'\(format)' is not a date pattern\(hint)")
                    }
                }
            }
            if type != nil, type != .date, type != .datetime { error(.invalidValue, at: formatsNode.location, "'formats' applies to dates and times only") }
        } else if type == .date {
            error(.missingKey, at: mapping.location, "\(what) is a date: add 'formats', the patterns the source writes it in, like [\"dd.MM.yyyy\"]")
        }
        var timeZone: String?
        if let zoneNode = fields.take("timezone"), let zone = text(zoneNode, "'timezone'") {
            if TimeZone(identifier: zone) == nil {
                error(.invalidValue, at: zoneNode.location, "unknown time zone '\(zone)'; use an IANA name like Europe/Vienna or UTC")
            } else if type != nil, type != .datetime {
                error(.invalidValue, at: zoneNode.location, "'timezone' applies to 'type: datetime' only")
            } else {
                timeZone = zone
            }
        }
        finish(fields)
        guard let type else { return nil }
        return NormalizeStep.Field(name: name, type: type, required: isRequired, formats: formats, timeZone: timeZone, location: mapping.location)
    }

    /// A pattern needs a year, a month and a day, and only the letters of those.
    private static func isDatePattern(_ pattern: String) -> Bool {
        let letters = Set(Self.patternLetters(pattern))
        return letters.contains("y") && (letters.contains("M") || letters.contains("L")) && letters.contains("d")
            && letters.isSubset(of: ["y", "M", "L", "d", "E"])
    }

    /// A day and a time of day (hours at least), and only the letters of dates, times and zones.
    private static func isTimePattern(_ pattern: String) -> Bool {
        let letters = Set(Self.patternLetters(pattern))
        return letters.contains("y") && (letters.contains("M") || letters.contains("L")) && letters.contains("d")
            && (letters.contains("H") || letters.contains("h")) && (letters.contains("h") ? letters.contains("a") : true)
            && letters.isSubset(of: ["y", "M", "L", "d", "E", "H", "h", "m", "s", "S", "a", "X", "x", "Z", "z", "O"])
    }

    /// The pattern letters, leaving out text quoted with `'` (`yyyy-MM-dd'T'HH:mm`).
    private static func patternLetters(_ pattern: String) -> [Character] {
        var letters: [Character] = []
        var quoted = false
        for character in pattern {
            if character == "'" { quoted.toggle() } else if !quoted, character.isLetter { letters.append(character) }
        }
        return letters
    }

    // MARK: Reshape

    func reshape(_ node: YAMLNode) -> StepAction? {
        withFields(node, "'reshape'") { fields in
            let records = required(&fields, "records").flatMap { variableName($0, "'records'") }
            let into = fields.take("into").flatMap { variableName($0, "'into'") }
            let filter = fields.take("where").flatMap { condition($0, "'where'") }
            var renames: [ReshapeStep.Rename] = []
            var additions: [NamedTemplate] = []
            var keep: [String]?
            var complete = true
            if let node = fields.take("rename"), let mapping = mapping(node, "'rename' (old name: new name)") {
                if mapping.entries.isEmpty { error(.invalidValue, at: mapping.location, "'rename' is empty; write old: new, like appointment: appointment_id") }
                var targets = Set<String>()
                for entry in mapping.entries {
                    guard let from = checkedName(entry.key.value, "field name", style: .snake, at: entry.key.location),
                        let to = name(entry.value, "the new name of '\(entry.key.value)'", style: .snake)
                    else { complete = false; continue }
                    if !targets.insert(to).inserted {
                        error(.duplicateName, at: entry.value.location, "two fields are renamed to '\(to)'; one would overwrite the other")
                    }
                    renames.append(ReshapeStep.Rename(from: from, to: to, location: entry.key.location))
                }
            }
            if let node = fields.take("add"), let mapping = mapping(node, "'add' (new field: template)") {
                if mapping.entries.isEmpty { error(.invalidValue, at: mapping.location, "'add' is empty; write field: template, like day: \"${row.start | date('yyyy-MM-dd')}\"") }
                for entry in mapping.entries {
                    guard let name = checkedName(entry.key.value, "field name", style: .snake, at: entry.key.location),
                        let value = template(entry.value, "'\(entry.key.value)'", allowEmpty: true)
                    else { complete = false; continue }
                    additions.append(NamedTemplate(name: name, value: value, location: entry.key.location))
                }
            }
            if let node = fields.take("keep") {
                keep = sequence(node, "'keep' (a list of field names)").map { list in
                    if list.items.isEmpty { error(.invalidValue, at: list.location, "'keep' is empty; list the fields the records keep") }
                    return list.items.compactMap { name($0, "a field to keep", style: .snake) }
                }
                if keep == nil { complete = false }
            }
            if renames.isEmpty, additions.isEmpty, keep == nil, filter == nil, complete {
                error(.missingKey, at: fields.mapping.location, "'reshape' changes nothing; add 'rename', 'add', 'keep' or 'where'")
            }
            guard let records, complete else { return nil }
            return .reshape(ReshapeStep(records: records, into: into, filter: filter, renames: renames, additions: additions, keep: keep))
        }
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
        let shape = "\(what) is one of { count: RECORDS }, { sum: RECORDS.FIELD }, { value: RECORDS.FIELD } or { value: CAPTURED } (a value captured from the page)"
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
        case "value" where parts.count == 1:
            return checkedName(text, "a captured value", style: .snake, at: entry.value.location).map { .captured(variable: $0) }
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
