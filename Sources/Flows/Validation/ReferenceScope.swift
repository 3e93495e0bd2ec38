/// The names templates reach values by, and what each holds.
enum ReferenceScope {
    /// Fields of `run`.
    static let runFields = ["date", "flow", "id", "shadow", "started"]
    /// Fields of `stage`.
    static let stageFields = ["name"]
    /// Fields of `step`.
    static let stepFields = ["kind", "number"]
    /// Fields of `work`: Ferry's own facts about the work item, apart from the record's fields.
    static let workFields = ["attempt", "id", "key"]

    /// Names a flow cannot give a variable or a loop row.
    static let reservedNames: Set<String> = ["inputs", "secrets", "run", "stage", "step", "vars", "item", "work", "today", "now", "true", "false", "and", "or", "not", "contains", "matches"]

    static func meaning(of name: String) -> String {
        switch name {
        case "inputs": "the flow's inputs"
        case "secrets": "secrets"
        case "run", "stage", "step": "values of the run"
        case "vars": "variables"
        case "item": "the current work item's record"
        case "work": "Ferry's facts about the current work item"
        case "today", "now": "the date and time"
        default: "its expression language"
        }
    }
}
