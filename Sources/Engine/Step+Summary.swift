import Flows

extension Step {
    /// A short description of what the step does, for progress lines and errors: its kind and the
    /// selector key, URL or file it is about (`fill clinic.login.user`, `goto ${inputs.clinic}/login`).
    var summary: String {
        switch action {
        case .goto(let goto): "goto \(goto.url)"
        case .click(let click): "click \(click.target)"
        case .fill(let fill): "fill \(fill.field)"
        case .select(let select): "select in \(select.field)"
        case .check(let check): "\(check.checked ? "check" : "uncheck") \(check.box)"
        case .press(let press): "press \(press.key)" + (press.field.map { " in \($0)" } ?? "")
        case .wait(let wait):
            switch wait.condition {
            case .pause(let duration): "wait \(duration)"
            case .visible(let reference): "wait for \(reference)"
            case .hidden(let reference): "wait until \(reference) is gone"
            case .page(let property, _): "wait for the page \(property.rawValue)"
            case .attached(let reference): "wait for \(reference) in the page"
            case .count(let reference, let count): "wait for \(count) of \(reference)"
            case .quiet(let quiet): "wait until the page is quiet for \(quiet)"
            }
        case .expect(let expect):
            switch expect.subject {
            case .element(let reference): "expect \(reference)"
            case .absent(let reference): "expect no \(reference)"
            case .text(let reference, _): "expect the text of \(reference)"
            case .page(let property, _): "expect the page \(property.rawValue)"
            case .attached(let reference): "expect \(reference) in the page"
            case .count(let reference, let count): "expect \(count) of \(reference)"
            }
        case .download(let download): "download \(download.saveAs)"
        case .upload(let upload): "upload \(upload.file) into \(upload.field)"
        case .screenshot(let screenshot): "screenshot \(screenshot.name)"
        case .extract(let extract): "extract into \(extract.into)"
        case .read(let read): "read \(read.file)"
        case .write(let write): "write \(write.file)"
        case .normalize(let normalize): "normalize \(normalize.records)"
        case .reshape(let reshape): "reshape \(reshape.records)" + (reshape.into.map { " into \($0)" } ?? "")
        case .reconcile(let reconcile): "reconcile " + reconcile.gates.map(\.name).joined(separator: ", ")
        case .items(let items): "items from \(items.from)"
        case .set(let set): "set " + set.assignments.map(\.name).joined(separator: ", ")
        case .require(let require): "require \(require.condition)"
        case .done: "done"
        case .script: "script"
        case .forEach(let loop): "for each \(loop.variable) in \(loop.records)"
        case .transaction(let transaction): "transaction of \(transaction.steps.count) steps"
        case .frame(let frame): "frame \(Self.describe(frame.target))"
        case .window(let window): "window \(Self.describe(window.target))"
        }
    }

    private static func describe(_ target: FrameStep.Target) -> String {
        switch target {
        case .top: "top"
        case .parent: "parent"
        case .element(let reference): reference.key
        case .name(let name): "named \(name)"
        case .index(let index): "number \(index)"
        }
    }

    private static func describe(_ target: WindowStep.Target) -> String {
        switch target {
        case .newest: "newest"
        case .main: "main"
        case .close: "close"
        case .matching(let property, _): "by its \(property.rawValue)"
        }
    }
}
