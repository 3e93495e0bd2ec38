/// Checks what only the whole flow can tell: that names used are defined, values exist before they are
/// used, files are saved before they are read, secrets stay out of sight, and policies can work.
///
///     let diagnostics = FlowValidator.validate(flow)
///
/// ``FlowLoader`` runs it on every flow it loads; call it directly on a flow built in code. Problems
/// come back all at once, errors and warnings, each with the place to fix it.
public struct FlowValidator {
    /// Every problem in the flow, in the order found.
    public static func validate(_ flow: Flow) -> [FlowDiagnostic] {
        var validator = FlowValidator(flow: flow)
        validator.run()
        return validator.diagnostics
    }

    /// What a variable holds, as far as the flow says.
    struct Variable {
        enum Kind {
            case text
            case records
        }

        var kind: Kind
        /// The fields records have, when the flow names them.
        var fields: [String]?
        var isSecret: Bool
        var location: SourceLocation
    }

    /// What templates can reach at one point of the flow.
    struct Scope {
        var stage: Stage
        var perItem: Bool { stage.perItem != nil }
        /// Loop rows (`row`, or the name `as:` gave) and their known fields.
        var rows: [String: [String]?] = [:]
    }

    let flow: Flow
    var diagnostics: [FlowDiagnostic] = []
    var usedSelectors = Set<String>()
    var usedSecrets = Set<String>()
    var usedInputs = Set<String>()
    var variables: [String: Variable] = [:]
    /// Where each variable is first set anywhere in the flow, to tell "used too early" from "unknown".
    var variablesAnywhere: [String: SourceLocation] = [:]
    /// Files saved so far: the template's text, as steps name them.
    var files: [String] = []
    var itemsStep: Step?
    var itemFields: [String]?
    let syntax = SelectorSyntax()

    private init(flow: Flow) {
        self.flow = flow
    }

    mutating func error(_ code: DiagnosticCode, at location: SourceLocation?, _ message: String) {
        diagnostics.append(FlowDiagnostic(.error, code, at: location ?? flow.location, message))
    }

    mutating func warning(_ code: DiagnosticCode, at location: SourceLocation?, _ message: String) {
        diagnostics.append(FlowDiagnostic(.warning, code, at: location ?? flow.location, message))
    }

    private mutating func run() {
        for stage in flow.stages {
            for step in stage.allSteps {
                for name in Self.variablesSet(by: step.action) where variablesAnywhere[name] == nil {
                    variablesAnywhere[name] = step.location
                }
            }
        }
        checkInputs()
        checkSelectorSyntax()
        checkExpiryConditions()
        checkStages()
        checkUnused()
    }

    static func variablesSet(by action: StepAction) -> [String] {
        switch action {
        case .expect(let step): step.captures
        case .extract(let step): [step.into]
        case .read(let step): [step.into]
        case .reshape(let step): [step.target]
        case .set(let step): step.assignments.map(\.name)
        case .script(let step): step.into.map { [$0] } ?? []
        default: []
        }
    }

    // MARK: Inputs and selectors

    private mutating func checkInputs() {
        for input in flow.inputs {
            guard let value = input.defaultValue else { continue }
            for reference in value.references where reference.root != "run" {
                error(
                    .undefinedReference, at: value.location(ofOffset: reference.offset),
                    "the default of input '\(input.name)' can use today, now and run values, not '\(reference)'")
            }
            checkShifts(in: value.expressions, at: value.location)
        }
    }

    private mutating func checkSelectorSyntax() {
        for definition in flow.selectors.definitions {
            for candidate in definition.candidates {
                // A templated candidate is checked with a stand-in for each value it will hold.
                let checked = candidate.template.map { template in
                    SelectorCandidate(source: template.parts.map { part in
                        if case .text(let text) = part { text } else { "x" }
                    }.joined(), location: candidate.location)
                } ?? candidate
                if let problem = syntax.problem(in: checked) {
                    error(.invalidSelector, at: candidate.location, "selector '\(definition.key)': \(problem)")
                }
            }
        }
    }

    private mutating func checkUnused() {
        for definition in flow.selectors.definitions where !usedSelectors.contains(definition.key) {
            warning(.unusedSelector, at: definition.location, "selector '\(definition.key)' is never used; remove it, or use it in a step")
        }
        for secret in flow.secrets where !usedSecrets.contains(secret.name) {
            warning(.unusedValue, at: secret.location, "secret '\(secret.name)' is never used; remove it")
        }
        for input in flow.inputs where !usedInputs.contains(input.name) {
            warning(.unusedValue, at: input.location, "input '\(input.name)' is never used; remove it")
        }
    }

    // MARK: Stages

    private mutating func checkStages() {
        var names: [String: SourceLocation] = [:]
        var sessionStages: [String] = []
        var perItemStageSeen = false
        for stage in flow.stages {
            if let first = names[stage.name] {
                error(.duplicateName, at: stage.location, "stage '\(stage.name)' is already defined at \(first.file == stage.location.file ? "line \(first.line)" : "\(first)"); give each stage its own name")
            } else {
                names[stage.name] = stage.location
            }
            let scope = Scope(stage: stage)
            if let condition = stage.condition { checkReferences(in: condition, scope: scope) }
            checkPolicy(stage.onError, scope: scope)
            if let dialog = stage.dialog { checkDialog(dialog, scope: scope, onStep: nil) }
            if let perItem = stage.perItem {
                perItemStageSeen = true
                if stage.isSession {
                    error(.invalidPolicy, at: stage.location, "stage '\(stage.name)' cannot both log in ('session: true') and run per work item; make the login its own stage")
                }
                if itemsStep == nil {
                    error(.itemsMismatch, at: stage.location, "stage '\(stage.name)' runs once per work item, but no earlier stage creates work items; add an 'items' step before it")
                }
                if let session = perItem.session, !sessionStages.contains(session) {
                    let hint = Suggestion.closest(to: session, in: sessionStages).map { "; did you mean '\($0)'?" }
                        ?? (sessionStages.isEmpty ? "; mark a login stage before it with 'session: true'" : " (session stages: \(sessionStages.quotedList(conjunction: "and")))")
                    error(.undefinedReference, at: perItem.sessionLocation ?? stage.location, "'\(session)' is not a session stage before '\(stage.name)'\(hint)")
                }
            }
            checkSteps(stage.steps, scope: scope, stageTimeout: stage.timeout)
            if stage.isSession { sessionStages.append(stage.name) }
        }
        if let itemsStep, !perItemStageSeen {
            warning(.itemsMismatch, at: itemsStep.location, "work items are created here but no stage processes them; add a stage with 'for_each_item'")
        }
    }

    private mutating func checkPolicy(_ policy: ErrorPolicy?, scope: Scope) {
        guard let policy, !scope.perItem, policy.application == .review || policy.business == .review else { return }
        error(
            .invalidPolicy, at: policy.location,
            "'review' sends the current work item to needs_review, but stage '\(scope.stage.name)' does not run per item; use 'fail' or 'continue'")
    }

    // MARK: Steps

    private mutating func checkSteps(_ steps: [Step], scope: Scope, stageTimeout: FlowDuration?) {
        for step in steps {
            checkStep(step, scope: scope, stageTimeout: stageTimeout)
        }
    }

    private mutating func checkStep(_ step: Step, scope: Scope, stageTimeout: FlowDuration?) {
        if let condition = step.condition { checkReferences(in: condition, scope: scope) }
        checkPolicy(step.onError, scope: scope)
        if let timeout = step.timeout, let stageTimeout, timeout > stageTimeout {
            warning(.invalidPolicy, at: step.location, "this step may wait \(timeout), longer than its stage's timeout of \(stageTimeout)")
        }
        for reference in step.action.selectors {
            checkSelectorKey(reference, ofFrame: step.kind == .frame)
            // A selector that follows the item is checked where it is used: its names must exist there.
            for template in flow.selectors[reference.key]?.candidates.compactMap(\.template) ?? [] {
                checkReferences(in: template, scope: scope)
                forbidSecrets(in: template, "a selector, which appears in errors and reports")
            }
        }
        if let dialog = step.dialog { checkDialog(dialog, scope: scope, onStep: step) }
        if let reason = step.reason {
            var reasonScope = scope
            // A normalize step's reason is said of each record that does not fit: the record is `row`.
            if case .normalize(let normalize) = step.action { reasonScope.rows["row"] = .some(variables[normalize.records].flatMap { $0.fields }) }
            checkReferences(in: reason, scope: reasonScope)
            forbidSecrets(in: reason, "a failure reason, which operators read")
        }
        if let key = step.idempotencyKey {
            checkReferences(in: key, scope: scope)
            forbidSecrets(in: key, "an idempotency key, which is stored and shown")
        }
        checkAction(step, scope: scope, stageTimeout: stageTimeout)
        if let verify = step.verify {
            for inner in verify.flatMap(\.flattened) where inner.sideEffect || !Self.allowedInVerify.contains(inner.kind) {
                error(.invalidPolicy, at: inner.location,
                      "'verify' holds the steps that check a change (\(Self.allowedInVerify.map(\.rawValue).sorted().joined(separator: ", "))); '\(inner.kind.rawValue)'\(inner.sideEffect ? " as a side effect" : "") cannot confirm one")
            }
            checkSteps(verify, scope: scope, stageTimeout: stageTimeout)
        }
    }

    /// What may confirm a change: steps that look, wait and note, never act.
    static let allowedInVerify: Set<StepKind> = [.expect, .wait, .extract, .set, .require, .screenshot]

    /// What a transaction may hold: the browser steps of one change, nothing that ends the stage or
    /// works on the run's records.
    static let allowedInTransaction: Set<StepKind> = [
        .goto, .click, .fill, .select, .check, .press, .wait, .expect, .upload, .screenshot, .extract, .set, .require, .script,
    ]

    private mutating func checkTransaction(_ transaction: TransactionStep, step: Step, scope: Scope, stageTimeout: FlowDuration?) {
        if step.sideEffect {
            error(.invalidPolicy, at: step.location, "a transaction is not a side effect itself; mark the step inside that commits with 'side_effect: true'")
        }
        let commitIndex = transaction.steps.firstIndex(where: \.sideEffect) ?? transaction.steps.endIndex
        for (index, inner) in transaction.steps.enumerated() where !Self.allowedInTransaction.contains(inner.kind) {
            // A guard may look before the commit: nothing has changed yet when it ends the pass.
            if inner.isGuard, index < commitIndex { continue }
            let allowed = Self.allowedInTransaction.map(\.rawValue).sorted().joined(separator: ", ")
            error(.invalidPolicy, at: inner.location,
                  "'\(inner.kind.rawValue)' cannot be part of a transaction, which replays its browser steps from the first after a failure; a transaction holds: \(allowed), and a guard ('done: … if:') before its commit")
        }
        let effects = transaction.steps.filter { $0.sideEffect }
        if effects.isEmpty {
            error(.invalidPolicy, at: step.location,
                  "a transaction commits with exactly one side effect: mark the step that makes the change (a Confirm or Save click) with 'side_effect: true'")
        }
        for extra in effects.dropFirst() {
            error(.invalidPolicy, at: extra.location,
                  "a transaction has one side effect, but this is a second one (the first is at line \(effects[0].location.line)); split it into two transactions, or drop 'side_effect' from the step that only prepares")
        }
        checkSteps(transaction.steps, scope: scope, stageTimeout: stageTimeout)
    }

    private mutating func checkAction(_ step: Step, scope: Scope, stageTimeout: FlowDuration?) {
        switch step.action {
        case .goto(let goto):
            checkReferences(in: goto.url, scope: scope)
            if case .text(let text)? = goto.url.parts.first, !(text.hasPrefix("http://") || text.hasPrefix("https://")) {
                error(.invalidValue, at: goto.url.location, "'goto' needs an absolute URL; start it with an input, like \"${inputs.site}/login\", or with http:// or https://")
            }
            if isSecret(goto.url) {
                warning(.secretExposed, at: goto.url.location, "a secret in a URL ends up in logs and browser history; type it into a field instead")
            }
        case .fill(let fill):
            checkReferences(in: fill.value, scope: scope)
            if looksLikePassword(fill.field.key), !isSecret(fill.value) {
                error(.literalSecret, at: fill.value.location, "'\(fill.field.key)' looks like a password field, but its value does not come from 'secrets:'; write \"${secrets.NAME}\"")
            }
        case .select(let select):
            checkReferences(in: select.option, scope: scope)
        case .wait(let wait):
            if case .page(_, let matcher) = wait.condition { checkReferences(in: matcher, scope: scope) }
        case .expect(let expect):
            switch expect.subject {
            case .text(_, let matcher), .page(_, let matcher): checkReferences(in: matcher, scope: scope)
            case .element, .absent, .attached, .count: break
            }
            for name in expect.captures {
                variables[name] = Variable(kind: .text, isSecret: false, location: step.location)
            }
        case .download(let download):
            if case .url(let url) = download.trigger { checkReferences(in: url, scope: scope) }
            checkReferences(in: download.saveAs, scope: scope)
            forbidSecrets(in: download.saveAs, "a file name, which appears in logs and reports")
            files.append(download.saveAs.source)
        case .upload(let upload):
            checkReferences(in: upload.file, scope: scope)
            checkFileExists(upload.file)
        case .screenshot(let screenshot):
            checkReferences(in: screenshot.name, scope: scope)
            forbidSecrets(in: screenshot.name, "a file name, which appears in logs and reports")
        case .extract(let extract):
            variables[extract.into] = Variable(kind: .records, fields: extract.knownFields, isSecret: false, location: step.location)
        case .read(let read):
            checkReferences(in: read.file, scope: scope)
            checkFileExists(read.file)
            var xpaths = read.fields.map { (what: "field '\($0.name)'", xpath: $0.xpath, location: $0.location) }
            if let rows = read.rows { xpaths.insert(("'rows'", rows, step.location), at: 0) }
            for (what, xpath, location) in xpaths {
                if let problem = syntax.xpathProblem(xpath) {
                    error(.invalidSelector, at: location, "\(what): '\(xpath)' is not valid XPath: \(problem)")
                }
            }
            variables[read.into] = Variable(kind: .records, fields: read.knownFields, isSecret: false, location: step.location)
        case .write(let write):
            let fields = records(write.from, at: step.location, for: "'write'")
            var rowScope = scope
            rowScope.rows["row"] = .some(fields)
            if let filter = write.filter { checkReferences(in: filter, scope: rowScope) }
            for column in write.columns {
                checkReferences(in: column.value, scope: rowScope)
                forbidSecrets(in: column.value, "a file, which is kept with the run")
            }
            checkReferences(in: write.file, scope: scope)
            files.append(write.file.source)
        case .items(let items):
            checkItems(items, step: step, scope: scope)
        case .normalize(let normalize):
            if let known = records(normalize.records, at: step.location, for: "'normalize'") {
                for field in normalize.fields where !known.contains(field.name) {
                    error(.undefinedReference, at: field.location, "'normalize' names '\(field.name)', but records of '\(normalize.records)' have no such field\(Suggestion.didYouMean(field.name, in: known))")
                }
            }
        case .reshape(let reshape):
            checkReshape(reshape, step: step, scope: scope)
        case .reconcile(let reconcile):
            for gate in reconcile.gates {
                for figure in [gate.figure] + (gate.equals.map { [$0] } ?? []) {
                    if case .captured(let name) = figure {
                        checkCaptured(name, gate: gate)
                        continue
                    }
                    let known = records(figure.records, at: gate.location, for: "gate '\(gate.name)'")
                    if let field = figure.field, let known, !known.contains(field) {
                        error(.undefinedReference, at: gate.location, "gate '\(gate.name)' uses '\(figure.records).\(field)', but those records have no such field\(Suggestion.didYouMean(field, in: known))")
                    }
                }
                if let baseline = gate.baseline {
                    checkReferences(in: baseline, scope: scope)
                    forbidSecrets(in: baseline, "a gate's baseline, which is kept with the run")
                }
            }
        case .set(let set):
            for assignment in set.assignments {
                checkReferences(in: assignment.value, scope: scope)
                variables[assignment.name] = Variable(kind: .text, isSecret: isSecret(assignment.value), location: assignment.location)
            }
        case .script(let script):
            for argument in script.templates { checkReferences(in: argument, scope: scope) }
            if let into = script.into {
                variables[into] = Variable(kind: .text, isSecret: false, location: step.location)
            }
        case .forEach(let loop):
            let fields = records(loop.records, at: step.location, for: "'for_each'")
            if scope.rows[loop.variable] != nil {
                error(.duplicateName, at: step.location, "an outer loop already calls its row '\(loop.variable)'; name this one differently with 'as:'")
            }
            var inner = scope
            inner.rows[loop.variable] = .some(fields)
            checkSteps(loop.steps, scope: inner, stageTimeout: stageTimeout)
        case .transaction(let transaction):
            checkTransaction(transaction, step: step, scope: scope, stageTimeout: stageTimeout)
        case .require(let require):
            checkReferences(in: require.condition, scope: scope)
        case .done(let done):
            checkReferences(in: done.note, scope: scope)
            forbidSecrets(in: done.note, "a note operators read")
        case .window(let window):
            if case .matching(_, let matcher) = window.target { checkReferences(in: matcher, scope: scope) }
        case .click, .check, .press, .frame:
            break
        }
    }

    private mutating func checkItems(_ items: ItemsStep, step: Step, scope: Scope) {
        if scope.perItem {
            error(.itemsMismatch, at: step.location, "work items are created in a stage that runs once, not in a per-item stage")
        }
        let fromFields = records(items.from, at: step.location, for: "'items'")
        var fields = fromFields
        for join in items.joins {
            let joinFields = records(join.with, at: step.location, for: "'join'")
            for (name, known, field) in [(items.from, fromFields, join.on), (join.with, joinFields, join.right)] {
                if let known, !known.contains(field) {
                    error(.undefinedReference, at: step.location, "'join' matches on '\(field)', but records of '\(name)' have no such field\(Suggestion.didYouMean(field, in: known))")
                }
            }
            if let reason = join.reason {
                var recordScope = scope
                recordScope.rows["row"] = .some(fromFields)
                checkReferences(in: reason, scope: recordScope)
            }
            if let base = fields, let joinFields { fields = join.joinedFields(base, joinFields) }
            else { fields = nil }
        }
        var rowScope = scope
        rowScope.rows["row"] = .some(fields)
        if let duplicates = items.duplicates {
            if let fromFields {
                for name in duplicates.on where !fromFields.contains(name) {
                    error(.undefinedReference, at: step.location, "'duplicates' compares '\(name)', but records of '\(items.from)' have no such field\(Suggestion.didYouMean(name, in: fromFields))")
                }
            }
            if let reason = duplicates.reason { checkReferences(in: reason, scope: rowScope) }
        }
        checkReferences(in: items.key, scope: rowScope)
        forbidSecrets(in: items.key, "a work item key, which operators see")
        if let filter = items.filter { checkReferences(in: filter, scope: rowScope) }
        if itemsStep != nil {
            // Several `items` steps feed one queue: items have the fields common to all.
            if let known = itemFields, let fields { itemFields = known.filter { fields.contains($0) } } else { itemFields = nil }
        } else {
            itemFields = fields
        }
        itemsStep = step
    }

    /// `where` sees the records as they are; renamed fields must exist and not collide; `add` sees
    /// the renamed record; `keep` names fields the records have by then.
    private mutating func checkReshape(_ reshape: ReshapeStep, step: Step, scope: Scope) {
        let fields = records(reshape.records, at: step.location, for: "'reshape'")
        var rowScope = scope
        rowScope.rows["row"] = .some(fields)
        if let filter = reshape.filter { checkReferences(in: filter, scope: rowScope) }
        if let fields {
            for rename in reshape.renames {
                if !fields.contains(rename.from) {
                    error(.undefinedReference, at: rename.location, "'rename' names '\(rename.from)', but records of '\(reshape.records)' have no such field\(Suggestion.didYouMean(rename.from, in: fields))")
                } else if fields.contains(rename.to), !reshape.renames.contains(where: { $0.from == rename.to }) {
                    error(.duplicateName, at: rename.location, "records of '\(reshape.records)' already have a field '\(rename.to)'; renaming '\(rename.from)' to it would overwrite it (rename or drop that one first)")
                }
            }
        }
        let renamed = fields.map(reshape.renamedFields)
        rowScope.rows["row"] = .some(renamed)
        for addition in reshape.additions {
            checkReferences(in: addition.value, scope: rowScope)
            if let renamed, renamed.contains(addition.name) {
                error(.duplicateName, at: addition.location, "records already have a field '\(addition.name)'; 'add' makes new fields (rename the old one, or name this one differently)")
            }
        }
        if let keep = reshape.keep {
            let added = reshape.additions.map(\.name)
            if let renamed {
                for name in keep where !renamed.contains(name) && !added.contains(name) {
                    error(.undefinedReference, at: step.location, "'keep' names '\(name)', but the records have no such field then\(Suggestion.didYouMean(name, in: renamed + added))")
                }
            }
            for addition in reshape.additions where !keep.contains(addition.name) {
                error(.invalidValue, at: addition.location, "'\(addition.name)' is added but not kept; list it in 'keep' or leave it out")
            }
        }
        let result: [String]? = reshape.keep ?? renamed.map { fields in fields + reshape.additions.map(\.name).filter { !fields.contains($0) } }
        variables[reshape.target] = Variable(kind: .records, fields: result, isSecret: false, location: step.location)
    }

    /// A captured figure is a text variable set before the gate.
    private mutating func checkCaptured(_ name: String, gate: ReconcileStep.Gate) {
        if let variable = variables[name] {
            if variable.kind == .records {
                error(.undefinedReference, at: gate.location, "gate '\(gate.name)' takes '\(name)' as a captured value, but it holds records; write { count: \(name) } or { value: \(name).FIELD }")
            }
        } else if let later = variablesAnywhere[name] {
            error(.undefinedReference, at: gate.location, "gate '\(gate.name)' uses '\(name)' before the step that sets it (line \(later.line))")
        } else {
            let known = variables.keys.sorted()
            let hint = Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? "; capture it first, like expect: { text: list.count, matches: \"\\\\((\\\\d+) total\\\\)\", capture: \(name) }"
            error(.undefinedReference, at: gate.location, "gate '\(gate.name)' uses '\(name)', which no step sets\(hint)")
        }
    }

    /// The known fields of a records variable, reporting when it is not one.
    private mutating func records(_ name: String, at location: SourceLocation, for what: String) -> [String]? {
        if let variable = variables[name] {
            if variable.kind != .records {
                error(.undefinedReference, at: location, "\(what) needs records, but '\(name)' is text; records come from 'read' or 'extract'")
            }
            return variable.fields
        }
        let known = variables.filter { $0.value.kind == .records }.map(\.key)
        if variablesAnywhere[name] != nil {
            error(.undefinedReference, at: location, "\(what) uses '\(name)' before the step that sets it (line \(variablesAnywhere[name]!.line))")
        } else {
            let hint = Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? "; records come from 'read' or 'extract' with 'into: \(name)'"
            error(.undefinedReference, at: location, "\(what) uses '\(name)', which no step sets\(hint)")
        }
        return nil
    }

    /// A relative file name must be saved by an earlier step; an absolute or computed path may name a
    /// file dropped there by someone else, so only the run can tell.
    private mutating func checkFileExists(_ file: Template) {
        guard !files.contains(file.source), !file.source.hasPrefix("/"), !file.source.hasPrefix("${") else { return }
        let hint = Suggestion.closest(to: file.source, in: files).map { "; did you mean '\($0)'?" }
            ?? "; save it first with 'download' ('save_as') or 'write' ('file')"
        error(.unknownFile, at: file.location, "no earlier step saves '\(file.source)'\(hint)")
    }

    private func looksLikePassword(_ key: String) -> Bool {
        let sources = [key.lowercased()] + (flow.selectors[key]?.candidates.map { $0.source.lowercased() } ?? [])
        return sources.contains { $0.contains("password") || $0.contains("passwd") || $0.contains("pwd") }
    }
}
