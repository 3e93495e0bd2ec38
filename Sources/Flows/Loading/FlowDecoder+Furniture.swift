/// The furniture of legacy pages: `frame:` and `window:` steps, and `dialog:` on a step or a stage.
extension FlowDecoder {
    /// `frame: top | parent | KEY`, `frame: { name: main }`, `frame: { index: 0 }`.
    func frame(_ node: YAMLNode) -> StepAction? {
        if case .scalar(let scalar) = node {
            switch scalar.value {
            case "top": return .frame(FrameStep(.top))
            case "parent": return .frame(FrameStep(.parent))
            default: return selector(node, "'frame' (the selector key of a <frame> or <iframe>)").map { .frame(FrameStep(.element($0))) }
            }
        }
        return withFields(node, "'frame'") { fields in
            let present = ["name", "index"].filter { fields.has($0) }
            guard present.count == 1 else {
                error(
                    present.isEmpty ? .missingKey : .invalidValue, at: fields.mapping.location,
                    present.isEmpty
                        ? "'frame' needs which frame: a selector key (frame: menu.frame), { name: main }, { index: 0 }, parent or top"
                        : "'frame' enters one frame: by 'name' or by 'index', not both")
                fields.allow(["name", "index"])
                return nil
            }
            if let name = fields.take("name") {
                return text(name, "'name' (the frame's name or id)").map { .frame(FrameStep(.name($0))) }
            }
            return fields.take("index").flatMap { integer($0, "'index'", in: 0...999) }.map { .frame(FrameStep(.index($0))) }
        }
    }

    /// `window: newest | main | close`, `window: { page: title|url, contains|equals|matches: ... }`.
    func window(_ node: YAMLNode) -> StepAction? {
        if case .scalar(let scalar) = node {
            switch scalar.value {
            case "newest": return .window(WindowStep(.newest))
            case "main": return .window(WindowStep(.main))
            case "close": return .window(WindowStep(.close))
            default:
                let names = ["newest", "main", "close"]
                let hint = Suggestion.closest(to: scalar.value, in: names).map { "did you mean '\($0)'?" }
                    ?? "use newest, main, close, or { page: title, contains: \"...\" } for the window whose title or URL matches"
                error(.invalidValue, at: node.location, "'window' cannot be '\(scalar.value)'; \(hint)")
                return nil
            }
        }
        return withFields(node, "'window'") { fields in
            let page = required(&fields, "page").flatMap { choice($0, "'page'", PageProperty.self) }
            let matcher = matcher(&fields, required: true, subject: "'window: page'")
            guard let page, let matcher else { return nil }
            return .window(WindowStep(.matching(page, matcher)))
        }
    }

    /// `dialog: accept | dismiss`, `dialog: { do: accept, expect_text: "...", answer: "..." }`.
    func dialogPolicy(_ node: YAMLNode) -> DialogPolicy? {
        if case .scalar = node {
            return choice(node, "'dialog'", DialogPolicy.Response.self).map { DialogPolicy(response: $0, location: node.location) }
        }
        guard let mapping = mapping(node, "'dialog'") else { return nil }
        var fields = MappingFields(mapping, what: "'dialog'")
        let responseNode = fields.take("do")
        var response = responseNode.flatMap { choice($0, "'do'", DialogPolicy.Response.self) }
        let answer = fields.take("answer").flatMap { template($0, "'answer' (what to type into the prompt)", allowEmpty: true) }
        let expected = fields.take("expect_text").flatMap { template($0, "'expect_text'") }
        finish(fields)
        if answer != nil {
            if response == .dismiss, let location = fields.keyLocation("answer") {
                error(.invalidValue, at: location, "'answer' is typed into a prompt before OK; it cannot go with 'do: dismiss'")
                return nil
            }
            response = .accept
        }
        guard let response else {
            if responseNode == nil {
                error(.missingKey, at: mapping.location, "'dialog' needs what to do: 'do: accept' or 'do: dismiss' (or 'answer:' for a prompt)")
            }
            return nil
        }
        return DialogPolicy(response: response, answer: answer, expectedText: expected, location: node.location)
    }
}
