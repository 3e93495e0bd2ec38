/// The top of a file: its kind and name, inputs, secrets, selectors and defaults.
extension FlowDecoder {
    /// Decodes a whole file; nil when it is too broken to say what it is.
    func document(_ root: YAMLNode) -> FlowDocument? {
        guard case .mapping(let mapping) = root else {
            error(.wrongType, at: root.location, "a flow file is a mapping that starts with 'flow: NAME'; found \(root.kindDescription)")
            return nil
        }
        let kind: Flow.Kind
        switch (mapping["flow"] != nil, mapping["fragment"] != nil) {
        case (true, false): kind = .flow
        case (false, true): kind = .fragment
        case (true, true):
            error(.invalidValue, at: mapping.entry("fragment")?.key.location ?? mapping.location, "a file is either a flow or a fragment; remove 'flow' or 'fragment'")
            return nil
        case (false, false):
            let near = mapping.entries.first { Suggestion.closest(to: $0.key.value, in: ["flow", "fragment"]) != nil }
            if let near {
                error(.unknownKey, at: near.key.location, "unknown key '\(near.key.value)' in the flow; did you mean '\(Suggestion.closest(to: near.key.value, in: ["flow", "fragment"])!)'?")
            } else {
                error(.missingKey, at: mapping.location, "a flow file starts with 'flow: NAME' (or 'fragment: NAME' for stages other flows include)")
            }
            return nil
        }
        let what = kind == .flow ? "the flow" : "a fragment"
        var fields = MappingFields(mapping, what: what)
        let name = fields.take(kind.rawValue).flatMap { self.name($0, "\(kind.rawValue) name", style: .kebab) }
        let description = required(&fields, "description").flatMap { text($0, "'description'") }
        let inputs = fields.take("inputs").map { self.inputs($0) } ?? []
        let secrets = fields.take("secrets").map { self.secrets($0) } ?? []
        let selectors = fields.take("selectors").map { self.selectors($0) } ?? SelectorMap()
        var defaults = FlowDefaults()
        if kind == .flow, let node = fields.take("defaults") {
            defaults = self.defaults(node)
        }
        var schedule: FlowSchedule?
        if kind == .flow, let node = fields.take("schedule") {
            schedule = self.schedule(node)
        }
        var stages: [FlowDocument.StageEntry] = []
        if let node = required(&fields, "stages"), let list = sequence(node, "'stages'") {
            if list.items.isEmpty { error(.invalidValue, at: list.location, "'stages' is empty; a flow needs at least one stage") }
            stages = list.items.compactMap { stageEntry($0) }
        }
        finish(fields)
        return FlowDocument(
            kind: kind, name: name ?? "", description: description ?? "", inputs: inputs, secrets: secrets,
            selectors: selectors, defaults: defaults, schedule: schedule, stages: stages, location: mapping.location)
    }

    // MARK: Inputs

    private func inputs(_ node: YAMLNode) -> [FlowInput] {
        guard let mapping = mapping(node, "'inputs'") else { return [] }
        return mapping.entries.compactMap { entry in
            guard let name = checkedName(entry.key.value, "input name", style: .snake, at: entry.key.location) else { return nil }
            guard case .mapping(let details) = entry.value else {
                // `date: "${today - 1d}"`: a default, nothing else.
                if entry.value.isNull {
                    return FlowInput(name: name, location: entry.key.location)
                }
                let value = template(entry.value, "the default of input '\(name)'", allowEmpty: true)
                return FlowInput(name: name, defaultValue: value, location: entry.key.location)
            }
            var fields = MappingFields(details, what: "input '\(name)'")
            let kind = fields.take("type").flatMap { choice($0, "the type of input '\(name)'", FlowInput.Kind.self) } ?? .text
            let defaultValue = fields.take("default").flatMap { template($0, "the default of input '\(name)'", allowEmpty: true) }
            let description = fields.take("description").flatMap { text($0, "'description'") }
            finish(fields)
            if let literal = defaultValue?.literalText, let node = details["default"] {
                checkLiteral(literal, of: kind, input: name, at: node.location)
            }
            return FlowInput(name: name, kind: kind, defaultValue: defaultValue, description: description, location: entry.key.location)
        }
    }

    private func checkLiteral(_ value: String, of kind: FlowInput.Kind, input: String, at location: SourceLocation) {
        switch kind {
        case .text:
            break
        case .date:
            if DateText.parseDay(value, in: .gmt) == nil {
                error(.invalidValue, at: location, "input '\(input)' is a date, but its default '\(value)' is not yyyy-MM-dd (or write a template like \"${today - 1d}\")")
            }
        case .number:
            if Double(value) == nil { error(.invalidValue, at: location, "input '\(input)' is a number, but its default '\(value)' is not") }
        case .boolean:
            if value != "true", value != "false" { error(.invalidValue, at: location, "input '\(input)' is true or false, but its default is '\(value)'") }
        case .url:
            if !(value.hasPrefix("http://") || value.hasPrefix("https://")) {
                error(.invalidValue, at: location, "input '\(input)' is a URL, but its default '\(value)' does not start with http:// or https://")
            } else if value.hasSuffix("/") {
                error(.invalidValue, at: location, "drop the trailing '/' of input '\(input)': steps write \"${inputs.\(input)}/path\"")
            }
        }
    }

    // MARK: Secrets

    private func secrets(_ node: YAMLNode) -> [SecretDeclaration] {
        guard let mapping = mapping(node, "'secrets'") else { return [] }
        return mapping.entries.compactMap { entry in
            guard let name = checkedName(entry.key.value, "secret name", style: .snake, at: entry.key.location) else { return nil }
            // Never echo the text: it may be the secret itself.
            guard case .scalar(let scalar) = entry.value, !scalar.isNull else {
                error(.wrongType, at: entry.value.location, "secret '\(name)' needs a source: env:NAME or file:/absolute/path#NAME")
                return nil
            }
            switch SecretSource.parse(scalar.value) {
            case .success(let source):
                return SecretDeclaration(name: name, source: source, location: entry.key.location)
            case .failure(.literal):
                error(.literalSecret, at: scalar.location, "secret '\(name)' is written into the flow; name where its value comes from instead: env:NAME or file:/absolute/path#NAME")
            case .failure(.badEnvironmentName):
                error(.invalidValue, at: scalar.location, "secret '\(name)': 'env:' needs an environment variable name (letters, digits, '_'), like env:CLINIC_PASSWORD")
            case .failure(.relativePath):
                error(.invalidValue, at: scalar.location, "secret '\(name)': a secrets file lives outside the repository; give an absolute path or one under ~/")
            case .failure(.missingKey):
                error(.invalidValue, at: scalar.location, "secret '\(name)': 'file:' needs the key after '#', like file:~/.config/ferry/secrets.env#CLINIC_PASSWORD")
            }
            return nil
        }
    }

    // MARK: Selectors

    /// The most fallbacks one selector may list.
    static let maximumFallbacks = 8

    private func selectors(_ node: YAMLNode) -> SelectorMap {
        var map = SelectorMap()
        guard let mapping = mapping(node, "'selectors'") else { return map }
        addSelectors(mapping, prefix: "", to: &map)
        return map
    }

    private func addSelectors(_ mapping: YAMLMapping, prefix: String, to map: inout SelectorMap) {
        for entry in mapping.entries {
            let segments = entry.key.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard segments.allSatisfy({ NameStyle.snake.accepts($0) }) else {
                error(.invalidName, at: entry.key.location, "selector key '\(entry.key.value)' must be lowercase words joined by '_', grouped with '.', like 'entry.save'")
                continue
            }
            let key = prefix + entry.key.value
            let candidates: [SelectorCandidate]
            switch entry.value {
            case .mapping(let group):
                if group.entries.isEmpty { error(.invalidValue, at: group.location, "selector group '\(key)' is empty") }
                addSelectors(group, prefix: key + ".", to: &map)
                continue
            case .scalar:
                guard let template = template(entry.value, "selector '\(key)'") else { continue }
                candidates = [SelectorCandidate(template: template, location: entry.value.location)]
            case .sequence(let list):
                guard !list.items.isEmpty else {
                    error(.invalidValue, at: list.location, "selector '\(key)' has no candidates; list at least one")
                    continue
                }
                if list.items.count > Self.maximumFallbacks {
                    error(.invalidValue, at: list.location, "selector '\(key)' lists \(list.items.count) candidates; keep at most \(Self.maximumFallbacks)")
                }
                var seen = Set<String>()
                candidates = list.items.compactMap { item in
                    guard let template = template(item, "a candidate of selector '\(key)'") else { return nil }
                    if !seen.insert(template.source).inserted {
                        warning(.invalidValue, at: item.location, "selector '\(key)' lists '\(template.source)' twice")
                    }
                    return SelectorCandidate(template: template, location: item.location)
                }
                guard !candidates.isEmpty else { continue }
            }
            if let existing = map.add(SelectorDefinition(key: key, candidates: candidates, location: entry.key.location)) {
                error(.duplicateName, at: entry.key.location, "selector '\(key)' is already defined at line \(existing.location.line)")
            }
        }
    }

    // MARK: Defaults and policies

    private func defaults(_ node: YAMLNode) -> FlowDefaults {
        var defaults = FlowDefaults()
        guard let mapping = mapping(node, "'defaults'") else { return defaults }
        var fields = MappingFields(mapping, what: "'defaults'")
        if let timeout = fields.take("timeout").flatMap({ duration($0, "'timeout'") }) { defaults.timeout = timeout }
        if let retry = fields.take("retry").flatMap({ retryPolicy($0) }) { defaults.retry = retry }
        defaults.onError = fields.take("on_error").flatMap { errorPolicy($0) }
        defaults.targetDown = fields.take("target_down").flatMap { targetDown($0) }
        defaults.expiredWhen = fields.take("expired_when").flatMap { expiryCondition($0) }
        if let node = fields.take("window_size"), let text = text(node, "'window_size'") {
            defaults.windowSize = WindowSize(parsing: text)
            if defaults.windowSize == nil {
                error(.invalidValue, at: node.location,
                      "'window_size' is width x height in pixels, like 1280x900 (width \(WindowSize.widths.lowerBound)-\(WindowSize.widths.upperBound), height \(WindowSize.heights.lowerBound)-\(WindowSize.heights.upperBound)); found '\(text)'")
            }
        }
        finish(fields)
        return defaults
    }

    /// `target_down: { wait: 30m, every: 30s, page_contains: "maintenance" }`.
    private func targetDown(_ node: YAMLNode) -> TargetDownPolicy? {
        guard let mapping = mapping(node, "'target_down'") else { return nil }
        var fields = MappingFields(mapping, what: "'target_down'")
        let wait = required(&fields, "wait").flatMap { duration($0, "'wait' (how long to keep probing)") }
        let every = fields.take("every").flatMap { duration($0, "'every'") } ?? .seconds(30)
        let page = fields.take("page_contains").flatMap { text($0, "'page_contains'") }
        finish(fields)
        return wait.map { TargetDownPolicy(wait: $0, every: every, pageContains: page) }
    }

    /// `retry: 3` or `retry: { attempts: 3, backoff: 2s, max_backoff: 30s }`.
    func retryPolicy(_ node: YAMLNode) -> RetryPolicy? {
        let range = 1...RetryPolicy.maximumAttempts
        if case .scalar = node {
            return integer(node, "'retry' (the number of attempts)", in: range).map {
                RetryPolicy(attempts: $0, backoff: RetryPolicy.standard.backoff, location: node.location)
            }
        }
        guard let mapping = mapping(node, "'retry'") else { return nil }
        var fields = MappingFields(mapping, what: "'retry'")
        let attempts = required(&fields, "attempts").flatMap { integer($0, "'attempts'", in: range) }
        let backoff = fields.take("backoff").flatMap { duration($0, "'backoff'") } ?? RetryPolicy.standard.backoff
        let maxBackoff = fields.take("max_backoff").flatMap { duration($0, "'max_backoff'") } ?? RetryPolicy.standard.maxBackoff
        finish(fields)
        if maxBackoff < backoff, let location = fields.keyLocation("max_backoff") {
            error(.invalidPolicy, at: location, "'max_backoff' (\(maxBackoff)) is shorter than 'backoff' (\(backoff))")
        }
        return attempts.map { RetryPolicy(attempts: $0, backoff: backoff, maxBackoff: max(maxBackoff, backoff), location: mapping.location) }
    }

    /// `on_error: review` or `on_error: { application: retry, business: review }`.
    func errorPolicy(_ node: YAMLNode) -> ErrorPolicy? {
        if case .scalar = node {
            guard let action = choice(node, "'on_error'", ErrorAction.self) else { return nil }
            // Retrying applies to application errors only: the same data fails the same way.
            return ErrorPolicy(application: action, business: action == .retry ? nil : action, location: node.location)
        }
        guard let mapping = mapping(node, "'on_error'") else { return nil }
        var fields = MappingFields(mapping, what: "'on_error'")
        let application = fields.take("application").flatMap { choice($0, "'application'", ErrorAction.self) }
        var business: ErrorAction?
        if let node = fields.take("business"), let action = choice(node, "'business'", ErrorAction.self) {
            if action == .retry {
                error(.invalidPolicy, at: node.location, "business errors are not retried: the same data fails the same way; use review, fail or continue")
            } else {
                business = action
            }
        }
        finish(fields)
        if mapping.entries.isEmpty { error(.invalidValue, at: mapping.location, "'on_error' is empty; say what to do for 'application' or 'business' errors") }
        return ErrorPolicy(application: application, business: business, location: mapping.location)
    }
}
