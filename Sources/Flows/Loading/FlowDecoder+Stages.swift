/// Stages and the `include:` entries among them.
extension FlowDecoder {
    func stageEntry(_ node: YAMLNode) -> FlowDocument.StageEntry? {
        guard let mapping = mapping(node, "a stage") else { return nil }
        if mapping["include"] != nil {
            var fields = MappingFields(mapping, what: "an include")
            let path = fields.take("include").flatMap { text($0, "'include'") }
            finish(fields)
            guard let path, let location = fields.keyLocation("include") else { return nil }
            guard !path.hasPrefix("/"), path.hasSuffix(".yaml") || path.hasSuffix(".yml") else {
                error(.includeFailed, at: mapping["include"]?.location ?? location, "'include' names a .yaml file relative to this one, like 'shared/clinic-login.yaml'")
                return nil
            }
            return .include(path: path, location: mapping["include"]?.location ?? location)
        }
        return stage(mapping).map { .stage($0) }
    }

    private func stage(_ mapping: YAMLMapping) -> Stage? {
        var fields = MappingFields(mapping, what: "a stage")
        let name = required(&fields, "name").flatMap { self.name($0, "stage name", style: .snake) }
        if let name {
            // Name the stage in the messages about its other keys.
            fields = MappingFields(mapping, what: "stage '\(name)'")
            _ = fields.take("name")
        }
        let description = fields.take("description").flatMap { text($0, "'description'") }
        let condition = fields.take("if").flatMap { self.condition($0, "'if'") }
        let isSession = fields.take("session").flatMap { bool($0, "'session'") } ?? false
        let expiredWhen = stageExpiryCondition(&fields, stage: name, isSession: isSession)
        let perItem = fields.take("for_each_item").flatMap { itemIteration($0) }
        let timeout = fields.take("timeout").flatMap { duration($0, "'timeout'") }
        let retry = fields.take("retry").flatMap { retryPolicy($0) }
        let onError = fields.take("on_error").flatMap { errorPolicy($0) }
        let dialog = fields.take("dialog").flatMap { dialogPolicy($0) }
        var steps: [Step] = []
        if let node = required(&fields, "steps") {
            steps = self.steps(node, in: "'steps'")
        }
        finish(fields)
        guard let name else { return nil }
        var stage = Stage(
            name: name, description: description, condition: condition, isSession: isSession, perItem: perItem,
            timeout: timeout, retry: retry, onError: onError, expiredWhen: expiredWhen, steps: steps, location: mapping.location)
        stage.dialog = dialog
        return stage
    }

    /// `for_each_item: true` or `for_each_item: { workers: 2, session: ledger_login }`.
    private func itemIteration(_ node: YAMLNode) -> ItemIteration? {
        if case .scalar = node {
            guard let on = bool(node, "'for_each_item'") else { return nil }
            if !on { error(.invalidValue, at: node.location, "'for_each_item: false' is the same as leaving it out; remove it") }
            return on ? ItemIteration() : nil
        }
        guard let mapping = mapping(node, "'for_each_item'") else { return nil }
        var fields = MappingFields(mapping, what: "'for_each_item'")
        let workers = fields.take("workers").flatMap { integer($0, "'workers'", in: 1...ItemIteration.maximumWorkers) } ?? 1
        let session = fields.take("session").flatMap { name($0, "'session'", style: .snake) }
        finish(fields)
        var iteration = ItemIteration(workers: workers)
        iteration.session = session
        iteration.sessionLocation = mapping["session"]?.location
        return iteration
    }

    /// A non-empty list of steps.
    func steps(_ node: YAMLNode, in what: String, insideTransaction: Bool = false) -> [Step] {
        guard let list = sequence(node, what) else { return [] }
        if list.items.isEmpty { error(.invalidValue, at: list.location, "\(what) is empty; list at least one step") }
        return list.items.compactMap { step($0, insideTransaction: insideTransaction) }
    }
}
