/// References inside templates and conditions: each name must exist where it is used.
extension FlowValidator {
    mutating func checkReferences(in template: Template, scope: Scope) {
        for reference in template.references {
            check(reference, at: template.location(ofOffset: reference.offset), scope: scope)
        }
        for expression in template.expressions {
            checkTextUse(expression, at: template.location)
        }
        checkShifts(in: template.expressions, at: template.location)
        if let hint = Self.suspiciousText(in: template) {
            warning(.suspiciousText, at: template.location(ofOffset: hint.offset), hint.message)
        }
    }

    mutating func checkReferences(in condition: Condition, scope: Scope) {
        for reference in condition.references {
            check(reference, at: condition.location(ofOffset: reference.offset), scope: scope)
        }
        checkShifts(in: [condition.expression], at: condition.location)
    }

    mutating func checkReferences(in matcher: TextMatcher, scope: Scope) {
        switch matcher {
        case .equals(let template), .contains(let template): checkReferences(in: template, scope: scope)
        case .matches: break
        }
    }

    /// Whether any value that goes into the template is secret.
    func isSecret(_ template: Template) -> Bool {
        template.references.contains { reference in
            reference.root == "secrets" || (reference.root == "vars" && (reference.field.flatMap { variables[$0]?.isSecret } ?? false))
        }
    }

    mutating func forbidSecrets(in template: Template, _ place: String) {
        guard isSecret(template) else { return }
        error(.secretExposed, at: template.location, "a secret cannot go into \(place); use something that identifies without revealing")
    }

    // MARK: One reference

    private mutating func check(_ reference: Reference, at location: SourceLocation?, scope: Scope) {
        let name = reference.description
        let roots = ["inputs", "secrets", "run", "stage", "step", "vars"] + (scope.perItem ? ["item", "work"] : []) + scope.rows.keys.sorted()
        if reference.root == "vars", reference.path.count == 2 {
            checkRecordField(reference, at: location)
            return
        }
        if reference.path.count > 1 {
            let owner = "\(reference.root).\(reference.path[0])"
            error(.undefinedReference, at: location, "'\(owner)' has no fields; remove '.\(reference.path.dropFirst().joined(separator: "."))'")
            return
        }
        guard let field = reference.field else {
            if roots.contains(reference.root) {
                error(.undefinedReference, at: location, "name a value inside '\(reference.root)', like '\(reference.root).\(example(for: reference.root, scope: scope))'")
            } else {
                error(.undefinedReference, at: location, "unknown name '\(reference.root)'\(suggestion(forBare: reference.root, roots: roots))")
            }
            return
        }
        switch reference.root {
        case "inputs":
            usedInputs.insert(field)
            if flow.input(named: field) == nil {
                unknown(name, "input", among: flow.inputs.map { "inputs.\($0.name)" }, at: location, fix: "declare it under 'inputs:'")
            }
        case "secrets":
            usedSecrets.insert(field)
            if flow.secret(named: field) == nil {
                unknown(name, "secret", among: flow.secrets.map { "secrets.\($0.name)" }, at: location, fix: "declare it under 'secrets:'")
            }
        case "run":
            if !ReferenceScope.runFields.contains(field) {
                unknown(name, "run value", among: ReferenceScope.runFields.map { "run.\($0)" }, at: location, fix: "run values: \(ReferenceScope.runFields.joined(separator: ", "))")
            }
        case "stage", "step":
            let fields = reference.root == "stage" ? ReferenceScope.stageFields : ReferenceScope.stepFields
            if !fields.contains(field) {
                unknown(name, "\(reference.root) value", among: fields.map { "\(reference.root).\($0)" }, at: location, fix: "\(reference.root) values: \(fields.joined(separator: ", "))")
            }
        case "vars":
            guard let variable = variables[field] else {
                if let later = variablesAnywhere[field] {
                    error(.undefinedReference, at: location, "'\(name)' is used before the step that sets it (line \(later.line))")
                } else {
                    let known = Set(variables.keys).union(variablesAnywhere.keys).map { "vars.\($0)" }
                    unknown(name, "variable", among: known, at: location, fix: "set it with 'set', 'capture' or 'into'")
                }
                return
            }
            _ = variable
        case "item":
            guard scope.perItem else {
                error(.undefinedReference, at: location, "'\(name)' only has a value in a stage with 'for_each_item'")
                return
            }
            checkItemField(field, name: name, at: location)
        case "work":
            guard scope.perItem else {
                error(.undefinedReference, at: location, "'\(name)' only has a value in a stage with 'for_each_item'")
                return
            }
            if !ReferenceScope.workFields.contains(field) {
                unknown(name, "work item value", among: ReferenceScope.workFields.map { "work.\($0)" }, at: location, fix: "work item values: \(ReferenceScope.workFields.joined(separator: ", "))")
            }
        default:
            guard let rowFields = scope.rows[reference.root] else {
                if reference.root == "row" {
                    error(.undefinedReference, at: location, "'\(name)' only has a value in 'items', 'write' and 'for_each' steps")
                } else {
                    error(.undefinedReference, at: location, "unknown name '\(reference.root)'\(suggestion(forBare: reference.root, roots: roots))")
                }
                return
            }
            if let known = rowFields, !known.contains(field) {
                unknown(name, "field", among: known.map { "\(reference.root).\($0)" }, at: location, fix: "records here have: \(known.joined(separator: ", "))")
            }
        }
    }

    /// `vars.summary.total`: a field of the one record a `fields:` extract (or a one-line report) keeps.
    private mutating func checkRecordField(_ reference: Reference, at location: SourceLocation?) {
        let name = reference.path[0]
        let field = reference.path[1]
        guard let variable = variables[name] else {
            if let later = variablesAnywhere[name] {
                error(.undefinedReference, at: location, "'vars.\(name)' is used before the step that sets it (line \(later.line))")
            } else {
                let known = Set(variables.keys).union(variablesAnywhere.keys).map { "vars.\($0)" }
                unknown("vars.\(name)", "variable", among: known, at: location, fix: "set it with 'extract', 'read' or 'into'")
            }
            return
        }
        guard variable.kind == .records else {
            error(.undefinedReference, at: location, "'vars.\(name)' is text, so it has no field '\(field)'; write '${vars.\(name)}'")
            return
        }
        if let known = variable.fields, !known.contains(field) {
            unknown(reference.description, "field", among: known.map { "vars.\(name).\($0)" }, at: location, fix: "records of '\(name)' have: \(known.joined(separator: ", "))")
        }
    }

    /// `item.X` reads the record's own field X. `item.id` and `item.key` once meant Ferry's item number
    /// and key, which now live under `work.`: a flow that still means those is told so.
    private mutating func checkItemField(_ field: String, name: String, at location: SourceLocation?) {
        let isFormerWorkName = field == "id" || field == "key"
        if let known = itemFields {
            guard !known.contains(field) else { return }
            if isFormerWorkName {
                error(.undefinedReference, at: location, "the records have no field '\(field)'; Ferry's own item \(field == "id" ? "number" : "key") is 'work.\(field)' ('item.' holds the record's fields only)")
            } else {
                unknown(name, "item field", among: known.map { "item.\($0)" } + ReferenceScope.workFields.map { "work.\($0)" }, at: location, fix: "items have: \(known.joined(separator: ", "))")
            }
        } else if isFormerWorkName {
            warning(.undefinedReference, at: location, "'\(name)' is the record's own field '\(field)', which these records may not have; for Ferry's item \(field == "id" ? "number" : "key") write 'work.\(field)'")
        }
    }

    private mutating func unknown(_ name: String, _ kind: String, among candidates: [String], at location: SourceLocation?, fix: String) {
        if let suggestion = Suggestion.closest(to: name, in: candidates) {
            error(.undefinedReference, at: location, "unknown \(kind) '\(name)'; did you mean '\(suggestion)'?")
        } else {
            error(.undefinedReference, at: location, "unknown \(kind) '\(name)'; \(fix)")
        }
    }

    private func example(for root: String, scope: Scope) -> String {
        switch root {
        case "inputs": flow.inputs.first?.name ?? "date"
        case "secrets": flow.secrets.first?.name ?? "password"
        case "run": "date"
        case "stage": "name"
        case "step": "number"
        case "item": itemFields?.first ?? "name"
        case "work": "key"
        default: variables.keys.sorted().first ?? "name"
        }
    }

    /// For `${date}`: the scoped name it probably means.
    private func suggestion(forBare name: String, roots: [String]) -> String {
        if flow.input(named: name) != nil { return "; did you mean 'inputs.\(name)'?" }
        if variables[name] != nil || variablesAnywhere[name] != nil { return "; did you mean 'vars.\(name)'?" }
        if flow.secret(named: name) != nil { return "; did you mean 'secrets.\(name)'?" }
        if let root = Suggestion.closest(to: name, in: roots) { return "; did you mean '\(root)'?" }
        return "; values are reached through \(roots.prefix(6).quotedList())"
    }

    // MARK: Kinds of values

    /// Records cannot be written as text; `count` counts records only.
    private mutating func checkTextUse(_ expression: Expression, at location: SourceLocation?) {
        switch expression {
        case .reference(let reference):
            if reference.root == "vars", reference.path.count == 1, let field = reference.field, variables[field]?.kind == .records {
                error(.undefinedReference, at: location, "'\(reference)' holds records, not text; write '${\(reference) | count}' for how many")
            }
        case .filtered(let inner, .count):
            if case .reference(let reference) = inner, reference.root != "vars" || reference.path.count > 1 || reference.field.flatMap({ variables[$0]?.kind }) == .text {
                error(.undefinedReference, at: location, "'| count' counts records, but '\(reference)' is text")
            }
        case .filtered(let inner, _), .shifted(let inner, _, _):
            checkTextUse(inner, at: location)
        default:
            break
        }
    }

    /// `today - 2h` cannot be a date; `inputs.site + 1d` cannot move at all.
    mutating func checkShifts(in expressions: [Expression], at location: SourceLocation?) {
        for expression in expressions {
            switch expression {
            case .shifted(let inner, let duration, _):
                switch inner {
                case .today where !duration.isWholeDays:
                    error(.invalidTemplate, at: location, "a date moves in whole days ('today - 1d'); use 'now' to move by \(duration)")
                case .reference(let reference) where reference.root == "inputs":
                    if let input = reference.field.flatMap({ flow.input(named: $0) }), input.kind != .date, input.kind != .text {
                        error(.invalidTemplate, at: location, "'\(reference)' is a \(input.kind.rawValue), not a date, so it cannot move by \(duration)")
                    }
                default:
                    break
                }
                checkShifts(in: [inner], at: location)
            case .filtered(let inner, _), .not(let inner):
                checkShifts(in: [inner], at: location)
            case .comparison(let left, _, let right), .and(let left, let right), .or(let left, let right):
                checkShifts(in: [left, right], at: location)
            case .reference, .literal, .boolean, .today, .now:
                break
            }
        }
    }

    /// `$inputs.date` or `{{date}}` in plain text: a template that was meant but not written.
    static func suspiciousText(in template: Template) -> (offset: Int, message: String)? {
        let characters = Array(template.source)
        var index = 0
        while index < characters.count {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if characters[index] == "$", next == "$" {
                index += 2
            } else if characters[index] == "$", next == "{" {
                // Skip the expression: it was parsed already.
                while index < characters.count, characters[index] != "}" { index += 1 }
                index += 1
            } else if characters[index] == "$", let next, next.isLetter {
                let word = String(characters[(index + 1)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
                return (index, "'$\(word)' is inserted as it is; did you mean '${\(word)}'?")
            } else if characters[index] == "{", next == "{" {
                return (index, "'{{' is inserted as it is; templates are written '${...}'")
            } else {
                index += 1
            }
        }
        return nil
    }
}
