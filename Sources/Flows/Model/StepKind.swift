/// The step vocabulary: the one key that names what a step does.
public enum StepKind: String, Hashable, Sendable, CaseIterable {
    case goto
    case click
    case fill
    case select
    case check
    case press
    case wait
    case expect
    case download
    case upload
    case screenshot
    case extract
    case read
    case write
    case normalize
    case reshape
    case reconcile
    case items
    case set
    case require
    case done
    case script
    case forEach = "for_each"
    case transaction
    case frame
    case window

    /// Whether the step acts in the browser (and so can change the target system).
    public var usesBrowser: Bool {
        switch self {
        case .goto, .click, .fill, .select, .check, .press, .wait, .expect, .download, .upload, .screenshot, .extract, .script, .frame, .window: true
        case .read, .write, .normalize, .reshape, .reconcile, .items, .set, .require, .done, .forEach, .transaction: false
        }
    }

    /// Whether the step may load another page (or change this one past recognition), so what was
    /// seen before it no longer describes the page.
    public var mayNavigate: Bool {
        switch self {
        case .goto, .click, .press, .download, .upload, .script, .select, .check, .extract, .frame, .window: true
        default: false
        }
    }

    /// Whether the step waits for the page to reach a state (`wait`, `expect`): what it acted on is the
    /// page after the wait, not before.
    public var waitsForPage: Bool {
        self == .wait || self == .expect
    }

    /// Whether the step can be marked `side_effect: true`: it acts in the browser, and is not a pure look.
    public var canHaveSideEffect: Bool {
        switch self {
        case .goto, .click, .fill, .select, .check, .press, .upload, .script: true
        default: false
        }
    }
}
