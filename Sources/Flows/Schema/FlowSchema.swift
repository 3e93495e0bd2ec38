/// The flow format as a JSON Schema (draft-07), for editors.
///
///     ferry schema > flows/flow.schema.json
///
/// With the schema next to the flows and a first line `# yaml-language-server: $schema=flow.schema.json`,
/// VS Code's YAML extension completes keys and step kinds, shows each key's documentation on hover and
/// underlines mistakes as a maintainer types. The schema checks shape (keys, kinds, names, durations);
/// what needs the whole flow (selector keys defined, variables set before use) is `ferry validate`'s.
///
/// Related documentation: https://json-schema.org/draft-07/json-schema-release-notes
public enum FlowSchema {
    /// The schema as pretty-printed JSON with sorted keys, stable from run to run.
    public static func json() -> String {
        document.rendered() + "\n"
    }

    static var document: SchemaJSON {
        [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Ferry flow",
            "description": "A Ferry flow file (flow: NAME) or a fragment other flows include (fragment: NAME).",
            "type": "object",
            "properties": [
                "flow": ref("kebabName", description: "The flow's name, lowercase words joined by '-'."),
                "fragment": ref("kebabName", description: "The fragment's name: a file of stages, selectors, inputs and secrets other flows include."),
                "description": text("What the flow does, in a sentence operators understand."),
                "inputs": [
                    "type": "object",
                    "description": "Values each run is given, or takes from their defaults.",
                    "propertyNames": ["pattern": .string(Pattern.snake)],
                    "additionalProperties": ref("input"),
                ],
                "secrets": [
                    "type": "object",
                    "description": "Where each secret's value comes from: env:NAME or file:/absolute/path#NAME. Never the value.",
                    "propertyNames": ["pattern": .string(Pattern.snake)],
                    "additionalProperties": ref("secretSource"),
                ],
                "selectors": ref("selectorGroup", description: "Every way the flow finds an element, by key. The one place to edit when the UI changes."),
                "defaults": ref("defaults"),
                "schedule": ref("schedule"),
                "stages": [
                    "type": "array",
                    "description": "The stages, run in order.",
                    "minItems": 1,
                    "items": ref("stageEntry"),
                ],
            ],
            "required": ["description", "stages"],
            "additionalProperties": false,
            "oneOf": [
                ["required": ["flow"], "not": ["required": ["fragment"]]],
                ["required": ["fragment"], "not": ["anyOf": [["required": ["flow"]], ["required": ["defaults"]], ["required": ["schedule"]]]]],
            ],
            "definitions": .object(definitions.merging(StepSchema.definitions) { first, _ in first }),
        ]
    }

    enum Pattern {
        static let kebab = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
        static let snake = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
        static let selectorKey = "^[a-z][a-z0-9]*(_[a-z0-9]+)*(\\.[a-z][a-z0-9]*(_[a-z0-9]+)*)*$"
        static let duration = "^([0-9]+(d|h|m|s|ms))+$"
        static let secretSource = "^(env:[A-Za-z_][A-Za-z0-9_]*|file:(/|~/)[^#]*#[A-Za-z_][A-Za-z0-9_]*)$"
        static let fileName = "^[^/\\\\]+$"
    }

    static func ref(_ name: String, description: String? = nil) -> SchemaJSON {
        var object: [String: SchemaJSON] = ["$ref": .string("#/definitions/\(name)")]
        if let description {
            // draft-07 ignores siblings of $ref; wrap so editors still show the description.
            object = ["allOf": [.object(object)], "description": .string(description)]
        }
        return .object(object)
    }

    static func text(_ description: String) -> SchemaJSON {
        ["type": "string", "minLength": 1, "description": .string(description)]
    }

    static func enumeration(_ values: [String], _ description: String) -> SchemaJSON {
        ["type": "string", "enum": .array(values.map { .string($0) }), "description": .string(description)]
    }

    /// An object with exactly these keys allowed.
    static func object(_ properties: [String: SchemaJSON], required: [String] = [], description: String? = nil) -> SchemaJSON {
        var object: [String: SchemaJSON] = [
            "type": "object",
            "properties": .object(properties),
            "additionalProperties": false,
        ]
        if !required.isEmpty { object["required"] = .array(required.map { .string($0) }) }
        if let description { object["description"] = .string(description) }
        return .object(object)
    }

    private static var definitions: [String: SchemaJSON] {
        [
            "kebabName": ["type": "string", "pattern": .string(Pattern.kebab)],
            "snakeName": ["type": "string", "pattern": .string(Pattern.snake)],
            "selectorKey": [
                "type": "string", "pattern": .string(Pattern.selectorKey),
                "description": "A key of the 'selectors:' map, like entry.save.",
            ],
            "duration": [
                "type": "string", "pattern": .string(Pattern.duration),
                "description": "A number and a unit: 500ms, 10s, 2m, 1h, 1d (or combined: 1m30s).",
            ],
            "template": [
                "type": ["string", "number", "boolean"],
                "description": "Text with ${...} expressions: ${inputs.date}, ${secrets.password}, ${vars.name}, ${item.field}, ${today - 1d}, ${value | urlencode}.",
            ],
            "condition": [
                "type": "string", "minLength": 1,
                "description": "A condition without ${...}: inputs.mode == 'bulk', not vars.existing, row.status == 'Completed' and row.amount != ''.",
            ],
            "fileName": [
                "type": "string", "minLength": 1, "pattern": .string(Pattern.fileName),
                "description": "A file name in the run's folder (templates allowed), without folders.",
            ],
            "secretSource": [
                "type": "string", "pattern": .string(Pattern.secretSource),
                "description": "env:NAME (an environment variable) or file:/absolute/path#NAME (a NAME=value line of a file outside the repository).",
            ],
            "input": [
                "description": "An input: its default as text, or its type, default and description.",
                "oneOf": [
                    ref("template"),
                    ["type": "null"],
                    object([
                        "type": enumeration(FlowInput.Kind.allCases.map(\.rawValue), "What the input holds (text unless given)."),
                        "default": ref("template", description: "The value when a run gives none; without a default the input is required."),
                        "description": text("What the input means, for operators."),
                    ]),
                ],
            ],
            "selectorCandidate": [
                "type": "string", "minLength": 1,
                "description": "CSS (the default), or xpath=..., text=..., label=..., link=...",
            ],
            "selectorValue": [
                "oneOf": [
                    ref("selectorCandidate"),
                    [
                        "type": "array", "minItems": 1, "maxItems": 8, "items": ref("selectorCandidate"),
                        "description": "Fallbacks in order: the first that matches wins, and the run records which one did.",
                    ],
                    ref("selectorGroup"),
                ],
            ],
            "selectorGroup": [
                "type": "object",
                "propertyNames": ["pattern": .string(Pattern.selectorKey)],
                "additionalProperties": ref("selectorValue"),
            ],
            "retry": [
                "description": "How often to try work that fails with an application error; the wait doubles each time.",
                "oneOf": [
                    ["type": "integer", "minimum": 1, "maximum": .integer(RetryPolicy.maximumAttempts)],
                    object(
                        [
                            "attempts": ["type": "integer", "minimum": 1, "maximum": .integer(RetryPolicy.maximumAttempts), "description": "Tries in all (1: no retry)."],
                            "backoff": ref("duration", description: "The wait before the second attempt (2s unless given)."),
                            "max_backoff": ref("duration", description: "The longest wait between attempts (1m unless given)."),
                        ], required: ["attempts"]),
                ],
            ],
            "errorAction": enumeration(ErrorAction.allCases.map(\.rawValue), "retry (application errors), continue, review (send the work item to needs_review) or fail."),
            "onError": [
                "description": "What to do when this fails: one action, or one per kind of error.",
                "oneOf": [
                    ref("errorAction"),
                    [
                        "type": "object", "minProperties": 1, "additionalProperties": false,
                        "properties": [
                            "application": ref("errorAction", description: "The system misbehaved: a timeout, a missing element, an error page."),
                            "business": enumeration(["continue", "review", "fail"], "The data is wrong; never retried."),
                        ],
                    ],
                ],
            ],
            "defaults": object(
                [
                    "timeout": ref("duration", description: "How long a step waits for its element or page (10s unless given)."),
                    "retry": ref("retry"),
                    "on_error": ref("onError"),
                    "target_down": object(
                        [
                            "wait": ref("duration", description: "How long to keep probing a system that is down (the run's deadline may end it sooner)."),
                            "every": ref("duration", description: "The first pause between probes; it doubles up to five minutes (30s unless given)."),
                            "page_contains": text("Text only the system's maintenance page shows."),
                        ], required: ["wait"], description: "Probe a system that is down (refused, 502/503/504, its maintenance page) instead of failing at once."),
                    "expired_when": ref("expiredWhen", description: "How a page shows a login has run out, for every session stage without its own."),
                    "window_size": ["type": "string", "pattern": "^[0-9]+[xX,][0-9]+$", "description": "The browser window, width x height (1280x900 unless given)."],
                ], description: "What every stage and step gets unless it says otherwise."),
            "expiredWhen": [
                "type": "object", "additionalProperties": false, "minProperties": 1,
                "description": "The session has expired when the URL matches 'url' or an element of 'element' is on the page; then the run logs in again and goes back to the step's page. Without it: the URL is the session stage's first goto (query ignored).",
                "properties": [
                    "url": ["type": "string", "minLength": 1, "description": "A regular expression searched in the whole URL, like \"/login\"."],
                    "element": ref("selectorKey", description: "The login form (or another element only the login page has), for a system that shows it at the page's own URL."),
                ],
            ],
            "schedule": object(
                [
                    "daily": ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "The local time the flow runs every day, like \"05:30\"."],
                    "cron": ["type": "string", "minLength": 9, "description": "Five cron fields: minute hour day-of-month month day-of-week, like \"30 5 * * 1-5\"."],
                    "timezone": text("An IANA time zone, like Europe/Berlin."),
                    "deadline": ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "The local time the run must have finished by; a run still going then raises an alert."],
                    "skip": ["type": "array", "items": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"], "description": "Days without a run (holidays)."],
                    "maintenance": ["type": "array", "items": ["type": "string", "pattern": "^((Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]* )?[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$"], "description": "Windows in which no run starts: \"Sun 01:00-04:00\" or \"23:30-23:59\"."],
                ], required: ["timezone"], description: "When ferry serve runs the flow on its own."
            ).merging(["oneOf": [["required": ["daily"]], ["required": ["cron"]]]]),
            "include": object(
                ["include": ["type": "string", "pattern": "\\.ya?ml$", "description": "A fragment file, relative to this one; its stages go here."]],
                required: ["include"]),
            "stageEntry": ["oneOf": [ref("include"), ref("stage")]],
            "stage": object(
                [
                    "name": ref("snakeName", description: "Unique in the flow."),
                    "description": text("What the stage does."),
                    "if": ref("condition"),
                    "session": ["type": "boolean", "description": "The stage logs in: it runs again on resume and when the session expires."],
                    "expired_when": ref("expiredWhen", description: "On a session stage: how a page shows this login has run out."),
                    "for_each_item": [
                        "description": "Run the stage once per work item, by several browsers at once.",
                        "oneOf": [
                            ["const": true],
                            object([
                                "workers": ["type": "integer", "minimum": 1, "maximum": .integer(ItemIteration.maximumWorkers)],
                                "session": ref("snakeName", description: "The session stage each worker runs first."),
                            ]),
                        ],
                    ],
                    "timeout": ref("duration", description: "How long one pass of the stage may take."),
                    "retry": ref("retry"),
                    "on_error": ref("onError"),
                    "dialog": ref("dialog", description: "What to do with any dialog the stage's steps open (a step's own dialog wins)."),
                    "steps": ref("steps"),
                ], required: ["name", "steps"]),
            "steps": ["type": "array", "minItems": 1, "items": ref("step")],
        ]
    }
}
