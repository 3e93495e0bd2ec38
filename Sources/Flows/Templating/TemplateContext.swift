import Foundation

/// The values templates and conditions see while a flow runs.
///
///     var context = TemplateContext(now: Date(), timeZone: TimeZone(identifier: "Europe/Vienna")!)
///     context.inputs["date"] = .text("2024-05-01")
///     context.secrets["clinic_password"] = .secret(resolved)
///     context.item = ["id": .text("1001"), "patient": .text("Ada Lovelace")]
///     context.work = ["id": .text("7"), "key": .text("A-1001")]
///     let url = try step.url.render(in: context)
///
/// Each property is a scope templates reach by name: `${inputs.date}`, `${secrets.clinic_password}`,
/// `${run.id}`, `${stage.name}`, `${step.number}`, `${vars.entry_id}`, `${item.patient}`, `${work.key}`, and the row
/// of a loop by the name the loop gave it (`${row.amount}`).
public struct TemplateContext: Sendable {
    /// The flow's inputs, defaults already rendered.
    public var inputs: [String: TemplateValue] = [:]
    /// Resolved secrets. Whatever is stored here is marked secret.
    public var secrets: [String: TemplateValue] = [:] {
        didSet {
            for (name, value) in secrets where !value.isSecret { secrets[name]?.isSecret = true }
        }
    }
    /// `id`, `date`, `started`, `flow`, `shadow`.
    public var run: [String: TemplateValue] = [:]
    /// `name` of the stage running.
    public var stage: [String: TemplateValue] = [:]
    /// `number` (from 1) and `kind` of the step running.
    public var step: [String: TemplateValue] = [:]
    /// Values steps set (`set`, `capture`, `into`).
    public var vars: [String: TemplateValue] = [:]
    /// The record of the work item a per-item stage is processing, its own fields only (a field named
    /// `id` or `key` is the record's); nil elsewhere.
    public var item: [String: TemplateValue]?
    /// Ferry's own facts about that work item: `id` (its number in the store), `key`, `attempt`; nil elsewhere.
    public var work: [String: TemplateValue]?
    /// The current row of each loop (`for_each ... as: row`) and of `items` (`row`), by name.
    public var rows: [String: [String: TemplateValue]] = [:]
    /// What `today` and `now` mean.
    public var now: Date
    /// The time zone `today` is taken in.
    public var timeZone: TimeZone

    public init(now: Date = Date(), timeZone: TimeZone = .current) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The values of one scope by its name in templates.
    func scope(_ root: String) -> [String: TemplateValue]? {
        switch root {
        case "inputs": inputs
        case "secrets": secrets
        case "run": run
        case "stage": stage
        case "step": step
        case "vars": vars
        case "item": item
        case "work": work
        default: rows[root]
        }
    }

    /// Every secret value in play, for a ``Redactor``: the secrets and anything derived from them.
    public var secretValues: [String] {
        var values: [String] = []
        for scope in [inputs, secrets, run, vars, item ?? [:]] + Array(rows.values) {
            for value in scope.values where value.isSecret {
                if let text = value.text { values.append(text) }
            }
        }
        return values
    }
}
