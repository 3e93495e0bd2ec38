/// What a step does: one case per ``StepKind``, each with its own small type.
public enum StepAction: Hashable, Sendable {
    case goto(GotoStep)
    case click(ClickStep)
    case fill(FillStep)
    case select(SelectStep)
    case check(CheckStep)
    case press(PressStep)
    case wait(WaitStep)
    case expect(ExpectStep)
    case download(DownloadStep)
    case upload(UploadStep)
    case screenshot(ScreenshotStep)
    case extract(ExtractStep)
    case read(ReadStep)
    case write(WriteStep)
    case normalize(NormalizeStep)
    case reshape(ReshapeStep)
    case reconcile(ReconcileStep)
    case items(ItemsStep)
    case set(SetStep)
    case require(RequireStep)
    case done(DoneStep)
    case script(ScriptStep)
    case forEach(ForEachStep)
    case transaction(TransactionStep)
    case frame(FrameStep)
    case window(WindowStep)

    public var kind: StepKind {
        switch self {
        case .goto: .goto
        case .click: .click
        case .fill: .fill
        case .select: .select
        case .check: .check
        case .press: .press
        case .wait: .wait
        case .expect: .expect
        case .download: .download
        case .upload: .upload
        case .screenshot: .screenshot
        case .extract: .extract
        case .read: .read
        case .write: .write
        case .normalize: .normalize
        case .reshape: .reshape
        case .reconcile: .reconcile
        case .items: .items
        case .set: .set
        case .require: .require
        case .done: .done
        case .script: .script
        case .forEach: .forEach
        case .transaction: .transaction
        case .frame: .frame
        case .window: .window
        }
    }

    /// The selector keys the step uses (not those of steps nested in a loop).
    public var selectors: [SelectorReference] {
        switch self {
        case .click(let step): [step.target]
        case .fill(let step): [step.field]
        case .select(let step): [step.field]
        case .check(let step): [step.box]
        case .press(let step): step.field.map { [$0] } ?? []
        case .wait(let step):
            switch step.condition {
            case .visible(let reference), .hidden(let reference), .attached(let reference), .count(let reference, _): [reference]
            case .pause, .page, .quiet: []
            }
        case .expect(let step):
            switch step.subject {
            case .element(let reference), .absent(let reference), .text(let reference, _), .attached(let reference), .count(let reference, _): [reference]
            case .page: []
            }
        case .download(let step):
            if case .click(let reference) = step.trigger { [reference] } else { [] }
        case .upload(let step): [step.field] + (step.submit.map { [$0] } ?? [])
        case .extract(let step):
            switch step.source {
            case .table(let table, _, let next, _): [table] + (next.map { [$0] } ?? [])
            case .fields(let fields): fields.map(\.selector)
            }
        case .script(let step): step.elements
        case .frame(let step):
            if case .element(let reference) = step.target { [reference] } else { [] }
        case .goto, .screenshot, .read, .write, .normalize, .reshape, .reconcile, .items, .set, .require, .done, .forEach, .transaction, .window: []
        }
    }

    /// The templates the step renders (not those of steps nested in a loop).
    public var templates: [Template] {
        switch self {
        case .goto(let step): [step.url]
        case .fill(let step): [step.value]
        case .select(let step): [step.option]
        case .wait(let step):
            if case .page(_, let matcher) = step.condition { Self.templates(in: matcher) } else { [] }
        case .expect(let step):
            switch step.subject {
            case .text(_, let matcher), .page(_, let matcher): Self.templates(in: matcher)
            case .element, .absent, .attached, .count: []
            }
        case .download(let step):
            if case .url(let url) = step.trigger { [url, step.saveAs] } else { [step.saveAs] }
        case .upload(let step): [step.file]
        case .screenshot(let step): [step.name]
        case .read(let step): [step.file]
        case .write(let step): [step.file] + step.columns.map(\.value)
        case .items(let step): [step.key] + step.joins.compactMap(\.reason) + (step.duplicates?.reason.map { [$0] } ?? [])
        case .reconcile(let step): step.gates.compactMap(\.baseline)
        case .reshape(let step): step.additions.map(\.value)
        case .set(let step): step.assignments.map(\.value)
        case .script(let step): step.templates
        case .done(let step): [step.note]
        case .window(let step):
            if case .matching(_, let matcher) = step.target { Self.templates(in: matcher) } else { [] }
        case .click, .check, .press, .extract, .normalize, .require, .forEach, .transaction, .frame: []
        }
    }

    private static func templates(in matcher: TextMatcher) -> [Template] {
        switch matcher {
        case .equals(let template), .contains(let template): [template]
        case .matches: []
        }
    }
}
