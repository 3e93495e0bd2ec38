import Extract
import Flows

/// What kind of thing a person acts on or reads: a broken selector's replacement must be of the
/// kind its step needs (a button for a click, a text field for a fill, a table for an extract).
enum ControlKind: String, Sendable {
    /// Buttons, submit inputs, links, and anything with `role=button`, `role=link` or `onclick`.
    case button
    /// Text inputs of every type (text, password, email, date, search…) and textareas.
    case textField = "text field"
    /// A `<select>`.
    case choice = "list"
    /// A checkbox or a radio button.
    case toggle = "checkbox"
    /// A file input.
    case file = "file input"
    case table
    /// Anything else: text to read or wait for.
    case content = "element"

    /// The kind of an element of a page, or nil for what no step acts on (hidden inputs, scripts, the page's frame).
    init?(_ element: HTMLNode) {
        switch element.name {
        case "html", "head", "body", "script", "style", "meta", "link", "title", "option", "optgroup", "br", "noscript", "tbody", "thead", "tr":
            return nil
        case "table": self = .table
        case "select": self = .choice
        case "textarea": self = .textField
        case "button": self = .button
        case "input":
            switch (element.attribute("type") ?? "text").lowercased() {
            case "hidden": return nil
            case "file": self = .file
            case "checkbox", "radio": self = .toggle
            case "submit", "button", "reset", "image": self = .button
            default: self = .textField
            }
        case "a":
            self = element.attribute("href") != nil || element.attribute("onclick") != nil ? .button : .content
        default:
            let role = element.attribute("role")?.lowercased()
            if role == "button" || role == "link" || element.attribute("onclick") != nil {
                self = .button
            } else if element.attribute("contenteditable").map({ $0.lowercased() != "false" }) == true || role == "textbox" {
                self = .textField
            } else {
                self = .content
            }
        }
    }

    /// Whether this is something a person operates (not text to read).
    var isControl: Bool { self != .content && self != .table }

    /// The kind a step needs of the element a selector key finds, or nil when any element will do
    /// (an `expect`, a `wait`: the selector's own tag then says what it was).
    static func wanted(by action: StepAction, for key: String) -> ControlKind? {
        switch action {
        case .click, .download: return .button
        case .fill: return .textField
        case .select: return .choice
        case .check: return .toggle
        case .press: return .textField
        case .upload(let upload): return upload.field.key == key ? .file : .button
        case .extract(let extract):
            switch extract.source {
            case .table(let table, _, _, _): return table.key == key ? .table : .button
            case .fields: return .content
            }
        default: return nil
        }
    }

    /// The kind an HTML tag (and input type) names, for a selector that says which element it wanted.
    static func named(tag: String?, type: String?) -> ControlKind? {
        switch tag {
        case "button", "a": return .button
        case "select": return .choice
        case "textarea": return .textField
        case "table": return .table
        case "input":
            switch type?.lowercased() {
            case "file": return .file
            case "checkbox", "radio": return .toggle
            case "submit", "button", "reset", "image": return .button
            case nil: return nil
            default: return .textField
            }
        case nil, "*": return nil
        default: return .content
        }
    }
}
