/// Steps: the one action key, the keys every step may have, and each action's own shape.
extension FlowDecoder {
    /// The keys any step may have besides its action.
    static let commonStepKeys = [
        "name", "if", "timeout", "retry", "on_error", "failure", "reason", "side_effect", "idempotency_key", "verify",
        "dialog",
    ]

    /// One step. Inside a `transaction:`, an upload prepares the commit and is a side effect only when it says so.
    func step(_ node: YAMLNode, insideTransaction: Bool = false) -> Step? {
        guard case .mapping(let mapping) = node else {
            if let text = node.scalar?.value, let kind = StepKind(rawValue: text) ?? Suggestion.closest(to: text, in: StepKind.allCases.map(\.rawValue)).flatMap(StepKind.init) {
                error(.wrongType, at: node.location, "a step is a mapping: write '- \(kind.rawValue): ...' with what it acts on")
            } else {
                error(.wrongType, at: node.location, "a step is a mapping with one action, like '- click: entry.save'; found \(node.kindDescription)")
            }
            return nil
        }
        let kindNames = StepKind.allCases.map(\.rawValue)
        let actions = mapping.entries.filter { StepKind(rawValue: $0.key.value) != nil }
        guard let actionEntry = actions.first, let kind = StepKind(rawValue: actionEntry.key.value) else {
            let misspelled = mapping.entries.first { !Self.commonStepKeys.contains($0.key.value) && Suggestion.closest(to: $0.key.value, in: kindNames) != nil }
            if let misspelled {
                error(.unknownStep, at: misspelled.key.location, "unknown step '\(misspelled.key.value)'; did you mean '\(Suggestion.closest(to: misspelled.key.value, in: kindNames)!)'?")
            } else if let unknown = mapping.entries.first(where: { !Self.commonStepKeys.contains($0.key.value) }) {
                error(.unknownStep, at: unknown.key.location, "unknown step '\(unknown.key.value)' (steps: \(kindNames.joined(separator: ", ")))")
            } else {
                error(.unknownStep, at: mapping.location, "this step has no action; add one of: \(kindNames.joined(separator: ", "))")
            }
            return nil
        }
        if actions.count > 1 {
            error(.ambiguousStep, at: actions[1].key.location, "a step does one thing, but '\(kind.rawValue)' and '\(actions[1].key.value)' are both here; split them into two steps")
        }
        var fields = MappingFields(mapping, what: "a '\(kind.rawValue)' step")
        fields.allow(actions.map(\.key.value))
        let name = fields.take("name").flatMap { text($0, "'name'") }
        let condition = fields.take("if").flatMap { self.condition($0, "'if'") }
        var timeout = fields.take("timeout").flatMap { duration($0, "'timeout'") }
        let retry = fields.take("retry").flatMap { retryPolicy($0) }
        let onError = fields.take("on_error").flatMap { errorPolicy($0) }
        // A requirement is about the data, so its failure is a business error unless the step says otherwise.
        let failure = fields.take("failure").flatMap { choice($0, "'failure'", ErrorClass.self) } ?? (kind == .require ? .business : .application)
        let reason = fields.take("reason").flatMap { template($0, "'reason'") }
        let sideEffectNode = fields.take("side_effect")
        let sideEffect = sideEffectNode.flatMap { bool($0, "'side_effect'") }
        let idempotencyKey = fields.take("idempotency_key").flatMap { template($0, "'idempotency_key'") }
        let verifyNode = fields.take("verify")
        let verify = verifyNode.map { steps($0, in: "the steps of 'verify'") }
        let dialog = fields.take("dialog").flatMap { dialogPolicy($0) }
        finish(fields)

        var actionTimeout: FlowDuration?
        guard let action = action(kind, actionEntry.value, timeout: &actionTimeout) else { return nil }
        if let actionTimeout {
            if timeout != nil, let location = fields.keyLocation("timeout") {
                error(.duplicateKey, at: location, "'timeout' is set both here and inside '\(kind.rawValue)'; keep one")
            }
            timeout = actionTimeout
        }

        // Side effects: say so where it matters, and only where it can be true.
        if let sideEffect, let sideEffectNode {
            if sideEffect, !kind.canHaveSideEffect {
                error(.invalidPolicy, at: sideEffectNode.location, "'\(kind.rawValue)' never changes the target system, so it cannot be a side effect; remove 'side_effect'")
            } else if !sideEffect, kind == .upload, !insideTransaction {
                error(.invalidPolicy, at: sideEffectNode.location,
                      "an upload on its own changes the target system; an upload that only previews belongs in a 'transaction:' with the step that confirms it")
            }
        } else if kind == .script {
            error(.invalidPolicy, at: actionEntry.key.location, "a script must say whether it changes the target system: add 'side_effect: true' or 'side_effect: false' to the step")
        }
        let isSideEffect = sideEffect ?? (kind == .upload && !insideTransaction)
        if idempotencyKey != nil, !isSideEffect, let location = fields.keyLocation("idempotency_key") {
            error(.invalidPolicy, at: location, "'idempotency_key' only applies to side effects; add 'side_effect: true' or remove it")
        }
        if verify != nil, !isSideEffect, let location = fields.keyLocation("verify") {
            error(.invalidPolicy, at: location, "'verify' lists the steps that confirm a side effect; add 'side_effect: true' or remove it")
        }
        var step = Step(
            action: action, name: name, condition: condition, timeout: timeout, retry: retry, onError: onError,
            failure: failure, reason: reason, sideEffect: isSideEffect, idempotencyKey: idempotencyKey, verify: verify,
            location: mapping.location)
        step.sideEffect = isSideEffect
        step.dialog = dialog
        return step
    }

    private func action(_ kind: StepKind, _ node: YAMLNode, timeout: inout FlowDuration?) -> StepAction? {
        let what = "'\(kind.rawValue)'"
        switch kind {
        case .goto:
            guard case .scalar = node else {
                error(.wrongType, at: node.location, "'goto' takes the URL as text, like goto: \"${inputs.clinic}/login\"")
                return nil
            }
            return template(node, "'goto'").map { .goto(GotoStep(url: $0)) }
        case .click:
            if case .scalar = node { return shorthandSelector(node, what).map { .click(ClickStep(target: $0)) } }
            return withFields(node, what) { fields in
                let target = required(&fields, "on").flatMap { selector($0, "'on'") }
                let force = fields.take("force").flatMap { bool($0, "'force'") } ?? false
                return target.map { .click(ClickStep(target: $0, force: force)) }
            }
        case .screenshot:
            return template(node, "'screenshot' (the picture's name)").map { .screenshot(ScreenshotStep(name: $0)) }
        case .fill:
            return withFields(node, what) { fields in
                let field = required(&fields, "into").flatMap { selector($0, "'into'") }
                let value = required(&fields, "value").flatMap { template($0, "'value'", allowEmpty: true) }
                guard let field, let value else { return nil }
                return .fill(FillStep(field: field, value: value))
            }
        case .select:
            return withFields(node, what) { fields in
                let field = required(&fields, "in").flatMap { selector($0, "'in'") }
                let option = required(&fields, "option").flatMap { template($0, "'option'") }
                guard let field, let option else { return nil }
                return .select(SelectStep(field: field, option: option))
            }
        case .check:
            if case .scalar = node { return shorthandSelector(node, what).map { .check(CheckStep(box: $0)) } }
            return withFields(node, what) { fields in
                let box = required(&fields, "box").flatMap { selector($0, "'box'") }
                let checked = fields.take("checked").flatMap { bool($0, "'checked'") } ?? true
                return box.map { .check(CheckStep(box: $0, checked: checked)) }
            }
        case .press:
            if case .scalar = node { return keyName(node).map { .press(PressStep(key: $0)) } }
            return withFields(node, what) { fields in
                let key = required(&fields, "key").flatMap { keyName($0) }
                let field = fields.take("in").flatMap { selector($0, "'in'") }
                return key.map { .press(PressStep(key: $0, field: field)) }
            }
        case .wait:
            return wait(node, timeout: &timeout)
        case .expect:
            return expect(node, timeout: &timeout)
        case .download:
            return withFields(node, what) { fields in
                let click = fields.take("click").flatMap { selector($0, "'click'") }
                let url = fields.take("url").flatMap { template($0, "'url'") }
                let saveAs = required(&fields, "save_as").flatMap { fileName($0, "'save_as'") }
                timeout = fields.take("timeout").flatMap { duration($0, "'timeout'") }
                let trigger: DownloadStep.Trigger?
                switch (click, url, fields.has("click") || fields.has("url")) {
                case (let click?, nil, _): trigger = .click(click)
                case (nil, let url?, _): trigger = .url(url)
                case (.some, .some, _):
                    error(.invalidValue, at: fields.mapping.location, "'download' starts either by 'click' or by 'url', not both")
                    trigger = nil
                case (nil, nil, false):
                    error(.missingKey, at: fields.mapping.location, "'download' needs 'click' (the link or button that starts it) or 'url'")
                    trigger = nil
                case (nil, nil, true): trigger = nil
                }
                guard let trigger, let saveAs else { return nil }
                return .download(DownloadStep(trigger: trigger, saveAs: saveAs))
            }
        case .upload:
            return withFields(node, what) { fields in
                let file = required(&fields, "file").flatMap { fileName($0, "'file'") }
                let field = required(&fields, "into").flatMap { selector($0, "'into'") }
                let submit = fields.take("submit").flatMap { selector($0, "'submit'") }
                guard let file, let field else { return nil }
                return .upload(UploadStep(file: file, field: field, submit: submit))
            }
        case .extract:
            return extract(node)
        case .read:
            return read(node)
        case .normalize:
            return normalize(node)
        case .reshape:
            return reshape(node)
        case .reconcile:
            return reconcile(node)
        case .write:
            return withFields(node, what) { fields in
                let from = required(&fields, "from").flatMap { variableName($0, "'from'") }
                let file = required(&fields, "file").flatMap { fileName($0, "'file'") }
                let filter = fields.take("where").flatMap { self.condition($0, "'where'") }
                let columns = required(&fields, "columns").flatMap { node in
                    if case .sequence = node { return copiedColumns(node) }
                    return namedTemplates(node, "'columns'", nameWhat: "column name")
                }
                guard let from, let file, let columns else { return nil }
                return .write(WriteStep(from: from, file: file, columns: columns, filter: filter))
            }
        case .items:
            return withFields(node, what) { fields in
                let from = required(&fields, "from").flatMap { variableName($0, "'from'") }
                let key = required(&fields, "key").flatMap { template($0, "'key'") }
                let filter = fields.take("where").flatMap { self.condition($0, "'where'") }
                let joins = fields.take("join").flatMap { self.joins($0) } ?? []
                let duplicates = fields.take("duplicates").flatMap { self.duplicates($0) }
                guard let from, let key else { return nil }
                return .items(ItemsStep(from: from, key: key, filter: filter, joins: joins, duplicates: duplicates))
            }
        case .set:
            return namedTemplates(node, "'set'", nameWhat: "variable name").map { .set(SetStep(assignments: $0)) }
        case .require:
            guard case .scalar = node else {
                error(.wrongType, at: node.location, "'require' takes a condition as text, like require: item.amount != ''")
                return nil
            }
            return condition(node, "'require'").map { .require(RequireStep(condition: $0)) }
        case .done:
            guard case .scalar = node else {
                error(.wrongType, at: node.location, "'done' takes a note as text, like done: Already in the ledger")
                return nil
            }
            return template(node, "'done' (a note saying why)").map { .done(DoneStep(note: $0)) }
        case .script:
            return withFields(node, what) { fields in
                let javascript = required(&fields, "javascript").flatMap { text($0, "'javascript'") }
                let reason = required(&fields, "reason").flatMap { text($0, "'reason' (why no other step can do this)") }
                var arguments: [ScriptStep.Argument] = []
                if let node = fields.take("arguments"), let list = sequence(node, "'arguments'") {
                    arguments = list.items.compactMap { item -> ScriptStep.Argument? in
                        guard case .mapping = item else { return template(item, "an argument", allowEmpty: true).map { .value($0) } }
                        guard let mapping = mapping(item, "an argument") else { return nil }
                        var fields = MappingFields(mapping, what: "an argument")
                        defer { finish(fields) }
                        return required(&fields, "element").flatMap { selector($0, "'element'") }.map { .element($0) }
                    }
                }
                let into = fields.take("into").flatMap { variableName($0, "'into'") }
                guard let javascript, let reason else { return nil }
                return .script(ScriptStep(javascript: javascript, reason: reason, arguments: arguments, into: into))
            }
        case .forEach:
            return withFields(node, what) { fields in
                let records = required(&fields, "in").flatMap { variableName($0, "'in'") }
                let variable = fields.take("as").flatMap { variableName($0, "'as'") } ?? "row"
                let steps = required(&fields, "steps").map { self.steps($0, in: "the steps of 'for_each'") } ?? []
                guard let records else { return nil }
                return .forEach(ForEachStep(records: records, variable: variable, steps: steps))
            }
        case .transaction:
            return withFields(node, what) { fields in
                let steps = required(&fields, "steps").map { self.steps($0, in: "the steps of 'transaction'", insideTransaction: true) } ?? []
                return .transaction(TransactionStep(steps: steps))
            }
        case .frame:
            return frame(node)
        case .window:
            return window(node)
        }
    }

    // MARK: Shapes shared by several steps

    func withFields(_ node: YAMLNode, _ what: String, _ body: (inout MappingFields) -> StepAction?) -> StepAction? {
        guard let mapping = mapping(node, what) else { return nil }
        var fields = MappingFields(mapping, what: what)
        let action = body(&fields)
        finish(fields)
        return action
    }

    private func shorthandSelector(_ node: YAMLNode, _ what: String) -> SelectorReference? {
        guard case .scalar = node else {
            error(.wrongType, at: node.location, "\(what) takes a selector key as text, like \(what.dropFirst().dropLast()): entry.save")
            return nil
        }
        return selector(node, what)
    }

    /// An artifact's file name: no folders.
    private func fileName(_ node: YAMLNode, _ what: String) -> Template? {
        guard let template = template(node, what) else { return nil }
        if let literal = template.literalText, literal.contains("/") || literal.contains("\\") || literal == ".." || literal == "." {
            error(.invalidValue, at: node.location, "\(what) is a file name inside the run's folder, without '/' or '..'")
            return nil
        }
        return template
    }

    /// A file a step reads: a run file's name, or an absolute path to a file someone else put there.
    private func sourceFile(_ node: YAMLNode, _ what: String) -> Template? {
        guard let template = template(node, what) else { return nil }
        if let literal = template.literalText, literal.hasPrefix("/") {
            if literal.split(separator: "/").contains("..") {
                error(.invalidValue, at: node.location, "\(what) is an absolute path without '..'")
                return nil
            }
            return template
        }
        if let literal = template.literalText, literal.contains("/") || literal.contains("\\") || literal == ".." || literal == "." {
            error(.invalidValue, at: node.location, "\(what) is a file name inside the run's folder (without '/' or '..') or an absolute path starting with '/'")
            return nil
        }
        return template
    }

    /// `columns: [appointment_id, amount]`: each field copied as it is.
    private func copiedColumns(_ node: YAMLNode) -> [NamedTemplate]? {
        guard let names = fieldNames(node, "'columns'"), case .sequence(let list) = node else { return nil }
        var columns: [NamedTemplate] = []
        for (name, item) in zip(names, list.items) {
            guard let value = try? Template(parsing: "${row.\(name)}", location: item.location) else { return nil }
            columns.append(NamedTemplate(name: name, value: value, location: item.location))
        }
        return columns
    }

    private func keyName(_ node: YAMLNode) -> String? {
        guard let text = text(node, "the key to press") else { return nil }
        if text.count == 1 || PressStep.keyNames.contains(text) { return text }
        error(.invalidValue, at: node.location, "unknown key '\(text)'" + (Suggestion.closest(to: text, in: PressStep.keyNames).map { "; did you mean '\($0)'?" } ?? " (keys: \(PressStep.keyNames.joined(separator: ", ")), or one character)"))
        return nil
    }

    /// An ordered `name: template` mapping (`set:`, `write: columns:`).
    private func namedTemplates(_ node: YAMLNode, _ what: String, nameWhat: String) -> [NamedTemplate]? {
        guard let mapping = mapping(node, what) else { return nil }
        guard !mapping.entries.isEmpty else {
            error(.invalidValue, at: mapping.location, "\(what) is empty")
            return nil
        }
        let named = mapping.entries.compactMap { entry -> NamedTemplate? in
            let name = nameWhat == "variable name"
                ? variableName(.scalar(entry.key), nameWhat) : checkedName(entry.key.value, nameWhat, style: .snake, at: entry.key.location)
            guard let name, let value = template(entry.value, "'\(entry.key.value)'", allowEmpty: true) else { return nil }
            return NamedTemplate(name: name, value: value, location: entry.key.location)
        }
        return named.count == mapping.entries.count ? named : nil
    }

    /// Exactly one of `equals`, `contains`, `matches`.
    func matcher(_ fields: inout MappingFields, required isRequired: Bool, subject: String) -> TextMatcher? {
        let nodes = TextMatcher.keys.compactMap { key in fields.take(key).map { (key, $0) } }
        guard let (key, node) = nodes.first else {
            if isRequired {
                error(.missingKey, at: fields.mapping.location, "\(subject) needs how to match: \(TextMatcher.keys.quotedList())")
            }
            return nil
        }
        if nodes.count > 1, let second = fields.keyLocation(nodes[1].0) {
            error(.invalidValue, at: second, "use one of \(TextMatcher.keys.quotedList()), not both '\(key)' and '\(nodes[1].0)'")
        }
        if !isRequired, let location = fields.keyLocation(key) {
            error(.invalidValue, at: location, "'\(key)' does not apply to \(subject); use 'text' to match an element's text")
            return nil
        }
        switch key {
        case "equals": return template(node, "'equals'", allowEmpty: true).map { .equals($0) }
        case "contains": return template(node, "'contains'").map { .contains($0) }
        default: return pattern(node, "'matches'").map { .matches($0) }
        }
    }

    private func wait(_ node: YAMLNode, timeout: inout FlowDuration?) -> StepAction? {
        if case .scalar = node {
            return duration(node, "'wait'").map { .wait(WaitStep(.pause($0))) }
        }
        return withFields(node, "'wait'") { fields in
            timeout = fields.take("timeout").flatMap { duration($0, "'timeout'") }
            let visible = fields.take("visible").flatMap { selector($0, "'visible'") }
            let hidden = fields.take("hidden").flatMap { selector($0, "'hidden'") }
            let attached = fields.take("attached").flatMap { selector($0, "'attached'") }
            let count = fields.take("count").flatMap { elementCount($0) }
            let quiet = fields.take("quiet").flatMap { duration($0, "'quiet'") }
            let page = fields.take("page").flatMap { choice($0, "'page'", PageProperty.self) }
            let subjects = Self.waitSubjects.filter { fields.has($0) }
            guard subjects.count == 1 else {
                error(
                    subjects.isEmpty ? .missingKey : .invalidValue, at: fields.mapping.location,
                    subjects.isEmpty ? "'wait' needs what to wait for: \(Self.waitSubjects.quotedList(conjunction: "or")) (or a duration: wait: 2s)"
                        : "'wait' waits for one thing; found \(subjects.quotedList(conjunction: "and"))")
                return nil
            }
            let matcher = matcher(&fields, required: page != nil || fields.has("page"), subject: "'wait: page'")
            if let visible { return .wait(WaitStep(.visible(visible))) }
            if let hidden { return .wait(WaitStep(.hidden(hidden))) }
            if let attached { return .wait(WaitStep(.attached(attached))) }
            if let count { return .wait(WaitStep(.count(count.of, count.count))) }
            if let quiet { return .wait(WaitStep(.quiet(quiet))) }
            guard let page, let matcher else { return nil }
            return .wait(WaitStep(.page(page, matcher)))
        }
    }

    static let waitSubjects = ["visible", "hidden", "attached", "count", "quiet", "page"]

    /// `count: { of: results.rows, at_least: 300 }` (or `at_most`, `exactly`).
    private func elementCount(_ node: YAMLNode) -> (of: SelectorReference, count: ElementCount)? {
        guard let mapping = mapping(node, "'count'") else { return nil }
        var fields = MappingFields(mapping, what: "'count'")
        defer { finish(fields) }
        let of = required(&fields, "of").flatMap { selector($0, "'of'") }
        let atLeast = fields.take("at_least").flatMap { integer($0, "'at_least'", in: 0...1_000_000) }
        let atMost = fields.take("at_most").flatMap { integer($0, "'at_most'", in: 0...1_000_000) }
        let exactly = fields.take("exactly").flatMap { integer($0, "'exactly'", in: 0...1_000_000) }
        let bounds = ["at_least", "at_most", "exactly"].filter { fields.has($0) }
        if bounds.isEmpty {
            error(.missingKey, at: mapping.location, "'count' needs how many: 'at_least', 'at_most' or 'exactly'")
            return nil
        }
        if exactly != nil, bounds.count > 1 {
            error(.invalidValue, at: mapping.location, "'exactly' stands alone; drop 'at_least'/'at_most'")
            return nil
        }
        if let atLeast, let atMost, atMost < atLeast {
            error(.invalidValue, at: fields.keyLocation("at_most") ?? mapping.location, "'at_most' (\(atMost)) is below 'at_least' (\(atLeast))")
            return nil
        }
        guard let of else { return nil }
        if let exactly { return (of, ElementCount(atLeast: exactly, atMost: exactly)) }
        guard atLeast != nil || atMost != nil else { return nil }
        return (of, ElementCount(atLeast: atLeast ?? 0, atMost: atMost))
    }

    private func expect(_ node: YAMLNode, timeout: inout FlowDuration?) -> StepAction? {
        withFields(node, "'expect'") { fields in
            timeout = fields.take("timeout").flatMap { duration($0, "'timeout'") }
            let element = fields.take("element").flatMap { selector($0, "'element'") }
            let absent = fields.take("absent").flatMap { selector($0, "'absent'") }
            let text = fields.take("text").flatMap { selector($0, "'text'") }
            let page = fields.take("page").flatMap { choice($0, "'page'", PageProperty.self) }
            let attached = fields.take("attached").flatMap { selector($0, "'attached'") }
            let count = fields.take("count").flatMap { elementCount($0) }
            let subjects = ["element", "absent", "attached", "count", "text", "page"].filter { fields.has($0) }
            guard subjects.count == 1, let subject = subjects.first else {
                error(
                    subjects.isEmpty ? .missingKey : .invalidValue, at: fields.mapping.location,
                    subjects.isEmpty ? "'expect' needs what to check: 'element', 'absent', 'attached', 'count', 'text' or 'page'"
                        : "'expect' checks one thing; found \(subjects.quotedList(conjunction: "and")); split it into two steps")
                return nil
            }
            let matches = subject == "text" || subject == "page"
            let matcher = matcher(&fields, required: matches, subject: "'expect: \(subject)'")
            var captures: [String] = []
            if let node = fields.take("capture") {
                if case .matches(let pattern)? = matcher {
                    captures = variableNames(node, "'capture'") ?? []
                    if captures.count > pattern.captureGroups {
                        error(.captureMismatch, at: node.location, "'capture' names \(captures.count) values but the pattern has \(pattern.captureGroups) group\(pattern.captureGroups == 1 ? "" : "s"); put what to capture in parentheses")
                    }
                } else {
                    error(.invalidValue, at: node.location, "'capture' takes the groups of a 'matches' pattern; add 'matches' with a (group)")
                }
            }
            let result: ExpectStep.Subject?
            switch subject {
            case "element": result = element.map { .element($0) }
            case "absent": result = absent.map { .absent($0) }
            case "attached": result = attached.map { .attached($0) }
            case "count": result = count.map { .count($0.of, $0.count) }
            case "text": result = text.flatMap { text in matcher.map { .text(text, $0) } }
            default: result = page.flatMap { page in matcher.map { .page(page, $0) } }
            }
            return result.map { .expect(ExpectStep(subject: $0, captures: captures)) }
        }
    }

    private func extract(_ node: YAMLNode) -> StepAction? {
        withFields(node, "'extract'") { fields in
            let table = fields.take("table").flatMap { selector($0, "'table'") }
            let into = required(&fields, "into").flatMap { variableName($0, "'into'") }
            var columns: [String]?
            if let node = fields.take("columns") { columns = fieldNames(node, "'columns'") }
            let next = fields.take("next").flatMap { selector($0, "'next'") }
            let maxPagesNode = fields.take("max_pages")
            let maxPages = maxPagesNode.flatMap { integer($0, "'max_pages'", in: 1...1000) } ?? ExtractStep.defaultMaxPages
            var named: [NamedSelector]?
            if let node = fields.take("fields"), let mapping = mapping(node, "'fields'") {
                named = mapping.entries.compactMap { entry in
                    guard let name = checkedName(entry.key.value, "field name", style: .snake, at: entry.key.location),
                        let selector = selector(entry.value, "field '\(entry.key.value)'")
                    else { return nil }
                    return NamedSelector(name: name, selector: selector)
                }
                if mapping.entries.isEmpty { error(.invalidValue, at: mapping.location, "'fields' is empty") }
            }
            switch (fields.has("table"), fields.has("fields")) {
            case (true, true):
                error(.invalidValue, at: fields.mapping.location, "'extract' reads either a 'table' or 'fields', not both")
                return nil
            case (false, false):
                error(.missingKey, at: fields.mapping.location, "'extract' needs 'table' (rows into records) or 'fields' (one record)")
                return nil
            case (false, true):
                for key in ["columns", "next", "max_pages"] {
                    if let location = fields.keyLocation(key) { error(.invalidValue, at: location, "'\(key)' applies to a 'table'") }
                }
            case (true, false):
                if maxPagesNode != nil, next == nil, let location = fields.keyLocation("max_pages") {
                    error(.invalidValue, at: location, "'max_pages' applies with 'next' (the link to the next page)")
                }
            }
            guard let into else { return nil }
            if let table { return .extract(ExtractStep(source: .table(table, columns: columns, next: next, maxPages: maxPages), into: into)) }
            return named.map { .extract(ExtractStep(source: .fields($0), into: into)) }
        }
    }

    private func read(_ node: YAMLNode) -> StepAction? {
        withFields(node, "'read'") { fields in
            let file = required(&fields, "file").flatMap { sourceFile($0, "'file'") }
            let format = required(&fields, "as").flatMap { choice($0, "'as'", ReadStep.Format.self) }
            let into = required(&fields, "into").flatMap { variableName($0, "'into'") }
            let columns = fields.take("columns").flatMap { fieldNames($0, "'columns'") }
            var delimiter: String?
            if let node = fields.take("delimiter"), let text = text(node, "'delimiter'") {
                if text.count == 1 { delimiter = text } else { error(.invalidValue, at: node.location, "'delimiter' is one character, like ';'") }
            }
            let rows = fields.take("rows").flatMap { text($0, "'rows'") }
            var xpaths: [NamedXPath] = []
            if let node = fields.take("fields"), let mapping = mapping(node, "'fields'") {
                xpaths = mapping.entries.compactMap { entry in
                    guard let name = checkedName(entry.key.value, "field name", style: .snake, at: entry.key.location),
                        let xpath = text(entry.value, "field '\(entry.key.value)'")
                    else { return nil }
                    return NamedXPath(name: name, xpath: xpath, location: entry.value.location)
                }
            }
            if let format {
                let csvKeys = ["columns", "delimiter"]
                let markupKeys = ["rows", "fields"]
                for key in format == .csv ? markupKeys : csvKeys {
                    if let location = fields.keyLocation(key) {
                        error(.invalidValue, at: location, "'\(key)' applies to \(format == .csv ? "XML and HTML reports" : "CSV reports")")
                    }
                }
                if format != .csv {
                    for key in markupKeys where !fields.has(key) {
                        error(.missingKey, at: fields.mapping.location, "reading \(format.rawValue.uppercased()) needs '\(key)': \(key == "rows" ? "an XPath to one node per record" : "each field's XPath relative to the row")")
                    }
                }
            }
            guard let file, let format, let into else { return nil }
            return .read(ReadStep(file: file, format: format, into: into, columns: columns, delimiter: delimiter, rows: rows, fields: xpaths))
        }
    }

    private func fieldNames(_ node: YAMLNode, _ what: String) -> [String]? {
        guard let list = sequence(node, what) else { return nil }
        if list.items.isEmpty { error(.invalidValue, at: list.location, "\(what) is empty") }
        var seen = Set<String>()
        let names = list.items.compactMap { item -> String? in
            guard let name = name(item, "column name", style: .snake) else { return nil }
            if !seen.insert(name).inserted { error(.duplicateName, at: item.location, "column '\(name)' is listed twice") }
            return name
        }
        return names.count == list.items.count ? names : nil
    }

    private func duplicates(_ node: YAMLNode) -> ItemsStep.Duplicates? {
        guard let mapping = mapping(node, "'duplicates'") else { return nil }
        var fields = MappingFields(mapping, what: "'duplicates'")
        let on = required(&fields, "on").flatMap { fieldNames($0, "'on'") }
        let reason = fields.take("reason").flatMap { template($0, "'reason'") }
        finish(fields)
        return on.map { ItemsStep.Duplicates(on: $0, reason: reason) }
    }

    /// One join as a mapping, or several as a list of them.
    private func joins(_ node: YAMLNode) -> [ItemsStep.Join]? {
        if case .sequence(let list) = node {
            if list.items.isEmpty { error(.invalidValue, at: list.location, "'join' is an empty list") }
            let joins = list.items.compactMap { join($0) }
            return joins.count == list.items.count ? joins : nil
        }
        return join(node).map { [$0] }
    }

    private func join(_ node: YAMLNode) -> ItemsStep.Join? {
        guard let mapping = mapping(node, "'join'") else { return nil }
        var fields = MappingFields(mapping, what: "'join'")
        let with = required(&fields, "with").flatMap { variableName($0, "'with'") }
        let keys = required(&fields, "on").flatMap { joinKeys($0) }
        let missingNode = fields.take("missing")
        let missing = missingNode.flatMap { choice($0, "'missing'", ItemsStep.Join.Missing.self) } ?? .review
        let reason = fields.take("reason").flatMap { template($0, "'reason'") }
        // `prefix: visit` and `prefix: visit_` both give `visit_status`.
        let prefix = fields.take("prefix").flatMap { node in
            text(node, "'prefix'").flatMap { text in
                checkedName(text.hasSuffix("_") ? String(text.dropLast()) : text, "'prefix'", style: .snake, at: node.location).map { $0 + "_" }
            }
        }
        finish(fields)
        if reason != nil, missing != .review, let location = fields.keyLocation("reason") {
            error(.invalidValue, at: location, "'reason' is what needs_review shows, so it applies to 'missing: review' only")
        }
        guard let with, let keys else { return nil }
        return ItemsStep.Join(with: with, on: keys.left, right: keys.right, missing: missing, reason: reason, prefix: prefix)
    }

    /// `on: appointment_id` (both records name it so) or `on: { left: appointment, right: id }`.
    private func joinKeys(_ node: YAMLNode) -> (left: String, right: String)? {
        if case .scalar = node { return name(node, "'on'", style: .snake).map { ($0, $0) } }
        guard let mapping = mapping(node, "'on' (a field name, or { left: FIELD, right: FIELD })") else { return nil }
        var fields = MappingFields(mapping, what: "'on'")
        let left = required(&fields, "left").flatMap { name($0, "'left' (the record's field)", style: .snake) }
        let right = required(&fields, "right").flatMap { name($0, "'right' (the field of the records joined)", style: .snake) }
        finish(fields)
        guard let left, let right else { return nil }
        return (left, right)
    }
}
