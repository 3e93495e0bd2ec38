import Extract

/// The schema of each step kind: the action key's shape, plus the keys every step may have.
enum StepSchema {
    typealias P = FlowSchema.Pattern

    static var definitions: [String: SchemaJSON] {
        var definitions: [String: SchemaJSON] = [
            "step": [
                "description": "One step: one action key (goto, click, fill, ...) and the keys every step may have.",
                "oneOf": .array(StepKind.allCases.map { FlowSchema.ref("step_\($0.rawValue)") }),
            ],
            "textMatcher": [
                "oneOf": [["required": ["equals"]], ["required": ["contains"]], ["required": ["matches"]]],
            ],
            "dialog": [
                "description": "What to do with an alert, confirm or prompt: accept (OK), dismiss (Cancel), or answer a prompt; expect_text fails the step on any other dialog.",
                "oneOf": [
                    ["enum": ["accept", "dismiss"]],
                    [
                        "type": "object", "additionalProperties": false, "minProperties": 1,
                        "properties": [
                            "do": ["enum": ["accept", "dismiss"]],
                            "answer": FlowSchema.ref("template", description: "Typed into the prompt before OK."),
                            "expect_text": FlowSchema.ref("template", description: "The dialog's text must contain this."),
                        ],
                    ],
                ],
            ],
        ]
        for kind in StepKind.allCases {
            definitions["step_\(kind.rawValue)"] = step(kind)
        }
        return definitions
    }

    private static func step(_ kind: StepKind) -> SchemaJSON {
        var properties: [String: SchemaJSON] = [
            kind.rawValue: action(kind),
            "name": FlowSchema.text("A label for logs and the dashboard."),
            "if": FlowSchema.ref("condition", description: "The step runs only when this holds."),
            "timeout": FlowSchema.ref("duration", description: "How long the step may wait for its element or page."),
            "retry": FlowSchema.ref("retry"),
            "on_error": FlowSchema.ref("onError"),
            "failure": FlowSchema.enumeration(ErrorClass.allCases.map(\.rawValue), "business: a failure here means the data is wrong (no retry; needs_review)."),
            "reason": FlowSchema.ref("template", description: "The message for the error or needs_review entry when the step fails."),
            "idempotency_key": FlowSchema.ref("template", description: "The key a side effect is recorded under (run/stage/step/item unless given)."),
            "verify": FlowSchema.ref("steps", description: "The steps that confirm this side effect (the steps after it up to the next side effect unless given)."),
            "dialog": FlowSchema.ref("dialog", description: "The dialog this step opens (it must open one): accept, dismiss, or answer a prompt."),
        ]
        var object: [String: SchemaJSON] = [
            "type": "object",
            "required": [.string(kind.rawValue)],
            "additionalProperties": false,
            "description": .string(summary(kind)),
        ]
        switch kind {
        case .upload:
            properties["side_effect"] = ["type": "boolean", "description": "An upload changes the target system; inside a transaction it only prepares the commit unless marked true."]
        case .script:
            properties["side_effect"] = ["type": "boolean", "description": "Whether the script changes the target system (required for scripts)."]
            object["required"] = [.string(kind.rawValue), "side_effect"]
        case _ where kind.canHaveSideEffect:
            properties["side_effect"] = ["type": "boolean", "description": "The step changes the target system: shadow runs skip it, resumes check its idempotency key."]
        default:
            properties["side_effect"] = ["const": false, "description": "This step never changes the target system."]
        }
        if kind != .upload {
            object["dependencies"] = ["idempotency_key": ["required": ["side_effect"], "properties": ["side_effect": ["const": true]]]]
        }
        object["properties"] = .object(properties)
        return .object(object)
    }

    private static func summary(_ kind: StepKind) -> String {
        switch kind {
        case .goto: "Open a page: goto: \"${inputs.site}/login\""
        case .click: "Click an element: click: entry.save"
        case .fill: "Type into a field: fill: { into: login.user, value: \"${secrets.user}\" }"
        case .select: "Choose a drop-down option by its text: select: { in: filter.status, option: Completed }"
        case .check: "Tick (or untick) a checkbox: check: filter.cancelled"
        case .press: "Press a key: press: Enter"
        case .wait: "Wait for an element or the page: wait: { visible: nav.logout }"
        case .expect: "Check the page, capturing values: expect: { text: entry.confirmation, matches: \"(L-\\\\d+)\", capture: ledger_id }"
        case .download: "Save a file the page offers: download: { click: report.export, save_as: report.csv }"
        case .upload: "Put a run file into a file input: upload: { file: entries.csv, into: upload.file }"
        case .screenshot: "Save a picture of the page: screenshot: after-login"
        case .extract: "Read a table or fields of the page into records: extract: { table: list.table, into: rows }"
        case .read: "Read a downloaded CSV, XML or HTML report into records: read: { file: report.csv, as: csv, into: rows }"
        case .write: "Save records as a CSV file: write: { from: rows, file: out.csv, columns: { id: \"${row.id}\" } }"
        case .normalize: "Clean up record fields (text, dates and times to ISO, money to exact decimals, required): normalize: { records: rows, fields: { amount: money } }"
        case .reshape: "Rename, compute, filter and keep fields of records: reshape: { records: rows, rename: { id: appointment_id }, keep: [appointment_id] }"
        case .reconcile: "Gates before anything is uploaded: counts and totals agree, or stay within N% of the last run."
        case .items: "Turn records into work items: items: { from: rows, key: \"${row.id}\" }"
        case .set: "Set variables: set: { note: \"Imported ${run.date}\" }"
        case .require: "Check the data; a business error (needs_review) when it does not hold: require: item.amount != ''"
        case .done: "Finish the stage early (for this item), with a note: done: Already in the ledger"
        case .script: "The escape hatch: JavaScript in the page, with the reason no other step does."
        case .forEach: "Run steps once per record: for_each: { in: rows, steps: [...] }"
        case .transaction: "Steps that only together change the target (upload, preview, confirm): transaction: { steps: [...] }; one of them is the side effect"
        case .frame: "Enter a frame of the page, or go back out: frame: { name: main }, frame: menu.frame, frame: { index: 0 }, frame: parent, frame: top"
        case .window: "Go to another window (a popup), close it, or go back: window: newest, window: { page: title, contains: Report }, window: close, window: main"
        }
    }

    private static let selector = FlowSchema.ref("selectorKey")
    private static let count: SchemaJSON = [
        "type": "object", "additionalProperties": false, "required": ["of"],
        "description": "How many elements: at_least, at_most, or exactly.",
        "properties": [
            "of": FlowSchema.ref("selectorKey"),
            "at_least": ["type": "integer", "minimum": 0], "at_most": ["type": "integer", "minimum": 0], "exactly": ["type": "integer", "minimum": 0],
        ],
    ]
    private static let template = FlowSchema.ref("template")
    private static let variable = FlowSchema.ref("snakeName", description: "A variable, reached as ${vars.NAME}.")
    private static let timeout = FlowSchema.ref("duration", description: "How long to wait.")
    private static let matcherProperties: [String: SchemaJSON] = [
        "equals": FlowSchema.ref("template", description: "The text is exactly this."),
        "contains": FlowSchema.ref("template", description: "The text contains this."),
        "matches": ["type": "string", "minLength": 1, "description": "A regular expression the text matches; its (groups) can be captured."],
    ]
    private static let fieldNames: SchemaJSON = ["type": "array", "minItems": 1, "uniqueItems": true, "items": FlowSchema.ref("snakeName")]

    private static func action(_ kind: StepKind) -> SchemaJSON {
        let object = FlowSchema.object
        switch kind {
        case .goto:
            return template
        case .click:
            return ["oneOf": [selector, object(["on": selector, "force": ["type": "boolean", "description": "Click by script, without waiting for what covers it."]], ["on"], nil)]]
        case .screenshot:
            return template
        case .fill:
            return object(["into": selector, "value": template], ["into", "value"], nil)
        case .select:
            return object(["in": selector, "option": template], ["in", "option"], nil)
        case .check:
            return ["oneOf": [selector, object(["box": selector, "checked": ["type": "boolean"]], ["box"], nil)]]
        case .press:
            let key: SchemaJSON = ["type": "string", "minLength": 1, "description": "A key name (Enter, Tab, ArrowDown, ...) or one character."]
            return ["oneOf": [key, object(["key": key, "in": selector], ["key"], nil)]]
        case .wait:
            var page = matcherProperties
            page["page"] = FlowSchema.enumeration(PageProperty.allCases.map(\.rawValue), "What of the page to wait for.")
            page["timeout"] = timeout
            return [
                "oneOf": [
                    FlowSchema.ref("duration", description: "A plain pause; prefer waiting for something."),
                    object(["visible": selector, "timeout": timeout], ["visible"], nil),
                    object(["hidden": selector, "timeout": timeout], ["hidden"], nil),
                    object(["attached": selector, "timeout": timeout], ["attached"], nil),
                    object(["count": Self.count, "timeout": timeout], ["count"], nil),
                    object(["quiet": FlowSchema.ref("duration", description: "How long no request may be pending and nothing change."), "timeout": timeout], ["quiet"], nil),
                    object(page, ["page"], nil).merging(["allOf": [FlowSchema.ref("textMatcher")]]),
                ],
            ]
        case .expect:
            var text = matcherProperties
            text["text"] = selector
            text["capture"] = ["oneOf": [variable, ["type": "array", "minItems": 1, "items": variable]], "description": "Names for the pattern's groups, in order."]
            text["timeout"] = timeout
            var page = text
            page["text"] = nil
            page["page"] = FlowSchema.enumeration(PageProperty.allCases.map(\.rawValue), "What of the page to check.")
            let capture: SchemaJSON = ["capture": ["matches"]]
            return [
                "oneOf": [
                    object(["element": selector, "timeout": timeout], ["element"], nil),
                    object(["attached": selector, "timeout": timeout], ["attached"], nil),
                    object(["count": Self.count, "timeout": timeout], ["count"], nil),
                    object(["absent": selector, "timeout": timeout], ["absent"], nil),
                    object(text, ["text"], nil).merging(["allOf": [FlowSchema.ref("textMatcher")], "dependencies": capture]),
                    object(page, ["page"], nil).merging(["allOf": [FlowSchema.ref("textMatcher")], "dependencies": capture]),
                ],
            ]
        case .download:
            return object(
                [
                    "click": FlowSchema.ref("selectorKey", description: "The link or button that starts the download."),
                    "url": FlowSchema.ref("template", description: "Or: the URL to fetch in the browser session."),
                    "save_as": FlowSchema.ref("fileName"),
                    "timeout": timeout,
                ], ["save_as"], nil
            ).merging(["oneOf": [["required": ["click"]], ["required": ["url"]]]])
        case .upload:
            return object(["file": FlowSchema.ref("fileName"), "into": selector, "submit": selector], ["file", "into"], nil)
        case .extract:
            return [
                "oneOf": [
                    object(
                        [
                            "table": selector, "into": variable,
                            "columns": fieldNames.merging(["description": "The header fields (snake_case) the flow relies on."]),
                            "next": FlowSchema.ref("selectorKey", description: "The link to the next page, followed until it is gone."),
                            "max_pages": ["type": "integer", "minimum": 1, "maximum": 1000],
                        ], ["table", "into"], nil
                    ).merging(["dependencies": ["max_pages": ["next"]]]),
                    object(
                        [
                            "fields": ["type": "object", "minProperties": 1, "propertyNames": ["pattern": .string(P.snake)], "additionalProperties": selector],
                            "into": variable,
                        ], ["fields", "into"], nil),
                ],
            ]
        case .read:
            return object(
                [
                    "file": FlowSchema.ref("fileName"),
                    "as": FlowSchema.enumeration(ReadStep.Format.allCases.map(\.rawValue), "The report's format."),
                    "into": variable,
                    "columns": fieldNames.merging(["description": "CSV: the header fields (snake_case) the flow relies on."]),
                    "delimiter": ["type": "string", "minLength": 1, "maxLength": 1],
                    "rows": ["type": "string", "minLength": 1, "description": "XML/HTML: an XPath selecting one node per record."],
                    "fields": [
                        "type": "object", "minProperties": 1, "propertyNames": ["pattern": .string(P.snake)],
                        "additionalProperties": ["type": "string", "minLength": 1], "description": "XML/HTML: each field's XPath, relative to the row.",
                    ],
                ], ["file", "as", "into"], nil
            ).merging([
                "if": ["properties": ["as": ["const": "csv"]]],
                "then": ["not": ["anyOf": [["required": ["rows"]], ["required": ["fields"]]]]],
                "else": ["required": ["rows", "fields"], "not": ["anyOf": [["required": ["columns"]], ["required": ["delimiter"]]]]],
            ])
        case .write:
            return object(
                [
                    "from": variable, "file": FlowSchema.ref("fileName"),
                    "where": FlowSchema.ref("condition", description: "Only records for which this holds are written (the record is 'row')."),
                    "columns": [
                        "oneOf": [
                            [
                                "type": "object", "minProperties": 1, "propertyNames": ["pattern": .string(P.snake)], "additionalProperties": template,
                                "description": "Each column's value per record (the record is 'row'), in order.",
                            ],
                            fieldNames.merging(["description": "The fields written as they are, in order."]),
                        ],
                    ],
                ], ["from", "file", "columns"], nil)
        case .items:
            let join = object(
                [
                    "with": variable,
                    "on": [
                        "oneOf": [
                            FlowSchema.ref("snakeName", description: "The field both records have."),
                            object(
                                ["left": FlowSchema.ref("snakeName"), "right": FlowSchema.ref("snakeName")], ["left", "right"],
                                "The record's field (left) and the joined records' field (right) that hold the same value."),
                        ],
                    ],
                    "prefix": FlowSchema.ref("snakeName", description: "A field of the match the record already has is added as PREFIX_FIELD instead of being dropped."),
                    "missing": FlowSchema.enumeration(ItemsStep.Join.Missing.allCases.map(\.rawValue), "What happens to a record without a match (review unless given)."),
                    "reason": FlowSchema.ref("template", description: "What needs_review says for a record without a match (the record is 'row')."),
                ], ["with", "on"], "Add the fields of the record in another variable with the same value in 'on'.")
            return object(
                [
                    "from": variable,
                    "key": FlowSchema.ref("template", description: "The item's key, unique in the run: usually the record's id, ${row.id}."),
                    "where": FlowSchema.ref("condition", description: "Only records for which this holds become items (with their joined fields)."),
                    "join": ["oneOf": [join, ["type": "array", "minItems": 1, "items": join]]],
                    "duplicates": object(
                        [
                            "on": fieldNames.merging(["description": "The fields whose values together make a record a repeat of an earlier one."]),
                            "reason": FlowSchema.ref("template", description: "What needs_review says for a repeat (the record is 'row')."),
                        ], ["on"], "Records repeating an earlier one's values go to needs_review."),
                ], ["from", "key"], nil)
        case .normalize:
            let types = FieldType.allCases.map(\.rawValue)
            let field: SchemaJSON = [
                "oneOf": [
                    FlowSchema.enumeration(types.filter { $0 != "date" }, "The field's type."),
                    object(
                        [
                            "type": FlowSchema.enumeration(types, "The field's type."),
                            "required": ["type": "boolean", "description": "An empty value does not fit."],
                            "formats": ["type": "array", "minItems": 1, "items": ["type": "string", "minLength": 1], "description": "Dates and times: the patterns the source writes them in, like dd.MM.yyyy or yyyy-MM-dd HH:mm:ss."],
                            "timezone": ["type": "string", "minLength": 1, "description": "Times: the IANA zone the source's clock times are in, like Europe/Vienna."],
                        ], ["type"], nil),
                ],
            ]
            return object(
                [
                    "records": variable,
                    "fields": ["type": "object", "minProperties": 1, "propertyNames": ["pattern": .string(P.snake)], "additionalProperties": field],
                    "invalid": FlowSchema.enumeration(NormalizeStep.Invalid.allCases.map(\.rawValue), "What happens to a record that does not fit (review unless given)."),
                ], ["records", "fields"], nil)
        case .reconcile:
            let figure: SchemaJSON = [
                "oneOf": [
                    object(["count": FlowSchema.ref("snakeName")], ["count"], "How many records."),
                    object(["sum": ["type": "string", "pattern": "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"]], ["sum"], "The sum of RECORDS.FIELD."),
                    object(["value": ["type": "string", "pattern": "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?$"]], ["value"], "RECORDS.FIELD of the one record, or a value captured from the page."),
                ],
            ]
            let gate = object(
                [
                    "name": FlowSchema.ref("snakeName"), "says": FlowSchema.text("What the gate makes sure of."),
                    "figure": figure, "equals": figure,
                    "tolerance": ["type": "number", "minimum": 0, "description": "How far apart the two figures may be."],
                    "within": ["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?%$", "description": "How far, in percent, the figure may move from the last completed run's."],
                    "baseline": FlowSchema.ref("template", description: "Compare only with runs whose baseline rendered the same (e.g. the weekday)."),
                ], ["name", "figure"], nil)
            return ["type": "array", "minItems": 1, "items": gate]
        case .reshape:
            let names: SchemaJSON = ["type": "object", "minProperties": 1, "propertyNames": ["pattern": .string(P.snake)]]
            return object(
                [
                    "records": variable,
                    "into": FlowSchema.ref("snakeName", description: "The variable for the reshaped records (the same one unless given)."),
                    "where": FlowSchema.ref("condition", description: "Only records for which this holds are kept (the record is 'row')."),
                    "rename": names.merging(["additionalProperties": FlowSchema.ref("snakeName"), "description": "old name: new name."]),
                    "add": names.merging(["additionalProperties": template, "description": "New fields, computed from the renamed record ('row')."]),
                    "keep": fieldNames.merging(["description": "The fields the records keep (after renaming and adding)."]),
                ], ["records"], nil)
        case .set:
            return ["type": "object", "minProperties": 1, "propertyNames": ["pattern": .string(P.snake)], "additionalProperties": template]
        case .require:
            return FlowSchema.ref("condition", description: "The condition the data must meet.")
        case .done:
            return FlowSchema.ref("template", description: "Why the rest of the stage is not needed.")
        case .script:
            return object(
                [
                    "javascript": ["type": "string", "minLength": 1, "description": "Run in the page; arguments arrive as arguments[0], arguments[1], ..."],
                    "reason": FlowSchema.text("Why no ordinary step can do this."),
                    "arguments": ["type": "array", "items": ["oneOf": [template, object(["element": selector], ["element"], nil)]]],
                    "into": variable,
                ], ["javascript", "reason"], nil)
        case .forEach:
            return object(
                [
                    "in": variable,
                    "as": FlowSchema.ref("snakeName", description: "The name of each record inside the loop (row unless given)."),
                    "steps": FlowSchema.ref("steps"),
                ], ["in", "steps"], nil)
        case .transaction:
            return object(["steps": FlowSchema.ref("steps")], ["steps"], nil)
        case .frame:
            // anyOf: `top` and `parent` are also well-formed selector keys.
            return [
                "anyOf": [
                    ["enum": ["top", "parent"], "description": "Back to the page itself, or one frame out."],
                    selector,
                    object(["name": FlowSchema.text("The frame's name or id.")], ["name"], nil),
                    object(["index": ["type": "integer", "minimum": 0, "maximum": 999]], ["index"], nil),
                ],
            ]
        case .window:
            var page = matcherProperties
            page["page"] = FlowSchema.enumeration(PageProperty.allCases.map(\.rawValue), "What of the window's page to match.")
            return [
                "oneOf": [
                    ["enum": ["newest", "main", "close"], "description": "The window opened last, the run's first window, or close this one and go back."],
                    object(page, ["page"], nil).merging(["allOf": [FlowSchema.ref("textMatcher")]]),
                ],
            ]
        }
    }
}
