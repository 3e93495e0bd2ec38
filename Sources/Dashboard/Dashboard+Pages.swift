import Engine
import Foundation
import Hummingbird
import Operators
import Store

extension Dashboard {
    /// What every page's header and footer need.
    func layout(title: String, signedIn: SignedIn?, active: String = "") -> [String: Any] {
        var page: [String: Any] = ["title": title, "signedIn": signedIn != nil, "active_" + active: true]
        if let signedIn {
            page["user"] = signedIn.account.name
            page["role"] = signedIn.account.role.rawValue
            page["csrf"] = signedIn.session.csrfToken
            page["canAct"] = signedIn.canAct
            page["isAdmin"] = signedIn.account.role == .admin
            if let notice = takeNotice(for: signedIn) {
                page["notice"] = notice.text
                page["noticeIsError"] = notice.isError
            }
            let counts = (try? store.itemCounts()) ?? [:]
            page["exceptionCount"] = (counts[.error] ?? 0) + (counts[.needsReview] ?? 0)
        }
        return page
    }

    /// Without its empty texts: mustache shows a section for an empty string, so optional facts are left out.
    static func compact(_ values: [String: Any]) -> [String: Any] {
        values.filter { !(($0.value as? String)?.isEmpty ?? false) }
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon, timeZone: .current)
            .year().month().day().time(includingFractionalSeconds: false))
    }

    // MARK: Live status

    struct LiveFigures {
        var counts: [ItemState: Int]
        var doneToday: Int
    }

    func liveFigures() -> LiveFigures {
        let counts = (try? store.itemCounts()) ?? [:]
        let doneToday = (try? store.itemsDone(since: Calendar.current.startOfDay(for: Date()))) ?? 0
        return LiveFigures(counts: counts, doneToday: doneToday)
    }

    func statusPage(_ request: Request, _ signedIn: SignedIn) -> Response {
        var page = layout(title: "Live status", signedIn: signedIn, active: "status")
        let figures = liveFigures()
        page["tiles"] = [
            ["label": "New", "id": "new", "value": figures.counts[.new] ?? 0, "link": "/activity?kind=items&state=new"],
            ["label": "Processing", "id": "processing", "value": figures.counts[.processing] ?? 0, "link": "/activity?kind=items&state=processing"],
            ["label": "Done today", "id": "done_today", "value": figures.doneToday, "link": "/activity?kind=items&state=done"],
            ["label": "Error", "id": "error", "value": figures.counts[.error] ?? 0, "link": "/exceptions", "alert": (figures.counts[.error] ?? 0) > 0],
            ["label": "Needs review", "id": "needs_review", "value": figures.counts[.needsReview] ?? 0, "link": "/exceptions",
             "alert": (figures.counts[.needsReview] ?? 0) > 0],
        ] as [[String: Any]]
        // The runs going on now, and each flow's latest run: a few rows, however many runs the store keeps.
        let running = (try? store.listRuns(RunQuery(states: [.running], limit: Self.statusPageRunning)).runs) ?? []
        let flowNames = Set(((try? store.runCounts()) ?? []).map(\.flow))
        let runs = flowNames.compactMap { flow in (try? store.runs(flow: flow, limit: 1))?.first }
            .sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
        page["running"] = running.map { run -> [String: Any] in
            let current = (try? store.runCheckpoints(runID: run.id))?.last { $0.state == .started && $0.step != nil }
            return [
                "id": run.id, "flow": run.flow, "stage": run.currentStage ?? "starting",
                "step": current.map { "step \(($0.step ?? 0) + 1)" + ($0.detail.map { ": \($0)" } ?? "") } ?? "",
                "since": Self.time(run.startedAt), "by": run.triggeredBy,
            ]
        }
        page["hasRunning"] = !(page["running"] as? [[String: Any]] ?? []).isEmpty
        let schedules = Dictionary(((try? store.schedules()) ?? []).map { ($0.flow, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        var flows: [[String: Any]] = []
        for run in runs where seen.insert(run.flow).inserted {
            let schedule = schedules[run.flow]
            flows.append(Self.compact([
                "flow": run.flow, "runID": run.id, "state": run.state.rawValue, "stateClass": run.state.rawValue.replacingOccurrences(of: "_", with: "-"),
                "started": Self.time(run.startedAt), "paused": schedule?.paused ?? false,
                "nextDue": schedule?.paused == true ? "paused" : (schedule?.nextDue.map(Self.time) ?? "not scheduled"),
            ]))
        }
        for schedule in schedules.values where !seen.contains(schedule.flow) {
            flows.append(["flow": schedule.flow, "state": "never run", "stateClass": "none", "started": "", "paused": schedule.paused,
                          "nextDue": schedule.paused ? "paused" : (schedule.nextDue.map(Self.time) ?? "not scheduled")])
        }
        page["flows"] = flows
        page["hasFlows"] = !flows.isEmpty
        page["live"] = true
        return .html(templates.render("status", page))
    }

    func statusJSON() -> Response {
        let figures = liveFigures()
        let values: [String: Int] = [
            "new": figures.counts[.new] ?? 0, "processing": figures.counts[.processing] ?? 0, "done_today": figures.doneToday,
            "error": figures.counts[.error] ?? 0, "needs_review": figures.counts[.needsReview] ?? 0,
        ]
        let body = "{" + values.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        return .text(body, contentType: "application/json")
    }

    // MARK: Recent activity

    func activityPage(_ request: Request, _ signedIn: SignedIn) -> Response {
        let query = request.query
        let kind = query["kind"] == "runs" ? "runs" : "items"
        let state = query["state"] ?? ""
        let flow = query["flow"] ?? ""
        let text = (query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let pageNumber = Self.clamped(query["page"], to: 1...Self.maximumPage, default: 1)
        var page = layout(title: "Recent activity", signedIn: signedIn, active: "activity")
        page["kindItems"] = kind == "items"
        page["kindRuns"] = kind == "runs"
        page["q"] = text
        // Every flow that has run (counted by the store, not by decoding the newest thousand runs).
        let flowNames = Array(Set(((try? store.runCounts()) ?? []).map(\.flow))).sorted()
        page["flows"] = flowNames.map { ["name": $0, "selected": $0 == flow] }
        let total: Int
        if kind == "runs" {
            page["states"] = RunState.allCases.map { ["name": $0.rawValue, "selected": $0.rawValue == state] }
            let found = (try? store.listRuns(RunQuery(
                states: RunState(rawValue: state).map { [$0] } ?? [], flow: flow, text: text, limit: Self.pageSize,
                offset: (pageNumber - 1) * Self.pageSize))) ?? (runs: [], total: 0)
            total = found.total
            page["runs"] = found.runs.map { run -> [String: Any] in
                ["id": run.id, "flow": run.flow, "state": run.state.rawValue, "stateClass": run.state.rawValue.replacingOccurrences(of: "_", with: "-"),
                 "started": Self.time(run.startedAt), "finished": Self.time(run.finishedAt), "by": run.triggeredBy,
                 "inputs": run.inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")]
            }
        } else {
            page["states"] = ItemState.allCases.map { ["name": $0.rawValue, "selected": $0.rawValue == state] }
            let found = (try? store.listItems(ItemQuery(
                states: ItemState(rawValue: state).map { [$0] } ?? [], flow: flow, text: text, limit: Self.pageSize,
                offset: (pageNumber - 1) * Self.pageSize))) ?? (items: [], total: 0)
            total = found.total
            page["items"] = found.items.map(Self.itemRow)
        }
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        page["total"] = total
        page["pageNumber"] = pageNumber
        page["pages"] = pages
        let base = "/activity?kind=\(kind)&state=\(FormFields.encode(state))&flow=\(FormFields.encode(flow))&q=\(FormFields.encode(text))&page="
        if pageNumber > 1 { page["previous"] = base + String(pageNumber - 1) }
        if pageNumber < pages { page["next"] = base + String(pageNumber + 1) }
        page["empty"] = total == 0
        return .html(templates.render("activity", page))
    }

    /// Audit rows shown on a run's page, newest (a day's run writes thousands; rendering 500 of them through
    /// the templates was still most of the page's time, and the run page the dashboard's slowest view).
    static let runPageAuditRows = 100

    /// Running runs listed on the live status page.
    static let statusPageRunning = 100

    /// Items listed on a run's page (the rest are one click away in Recent activity).
    static let runPageItems = 200

    /// The last page number the activity view accepts: far beyond any store, far below an overflow.
    static let maximumPage = 1_000_000

    /// A number taken from a request, kept inside `range`: out-of-range numbers are clamped and
    /// anything else (text, a number too long for `Int`) gives `default`, so no arithmetic on it can trap.
    static func clamped(_ text: String?, to range: ClosedRange<Int>, default value: Int) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text) else {
            // Digits too many for Int are still a (huge) number: the end of the range they point at.
            let digits = text.drop { $0 == "+" || $0 == "-" }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return value }
            return text.hasPrefix("-") ? range.lowerBound : range.upperBound
        }
        return min(max(number, range.lowerBound), range.upperBound)
    }

    static func itemRow(_ listing: ItemListing) -> [String: Any] {
        let item = listing.item
        let summary = item.lastError.map { ExceptionQueue.summary(of: $0, key: item.key) }
        return [
            "id": String(item.id), "key": item.key, "flow": listing.flow, "runID": item.runID, "state": item.state.rawValue,
            "stateClass": item.state.rawValue.replacingOccurrences(of: "_", with: "-"), "updated": time(item.updatedAt),
            "fields": item.payload.sorted { $0.key < $1.key }.prefix(4).map { "\($0.key): \($0.value)" }.joined(separator: " · "),
            "reason": item.lastError ?? "", "summary": summary ?? "", "hasDetails": summary != nil && summary != item.lastError,
            "heldBy": holder(of: item),
        ]
    }

    /// Who is working an item now, in words: `worker 2 on host web-3 (process 4121)` for a claim named
    /// `HOST:PID/worker:N`; empty when the item is not being worked.
    static func holder(of item: WorkItem) -> String {
        guard item.state == .processing, let name = item.claimedBy else { return "" }
        guard let process = WorkerName.parse(name) else { return name }
        let worker = name.split(separator: "/", maxSplits: 1).dropFirst().first.map { $0.replacingOccurrences(of: "worker:", with: "worker ") } ?? "a worker"
        return "\(worker) on host \(process.host) (process \(process.pid))"
    }

    // MARK: Exception queue

    func exceptionsPage(_ request: Request, _ signedIn: SignedIn) -> Response {
        var page = layout(title: "Exception queue", signedIn: signedIn, active: "exceptions")
        let found = (try? store.listItems(ItemQuery(states: [.error, .needsReview], limit: 1000))) ?? (items: [], total: 0)
        var screenshots: [String: [Artifact]] = [:]
        for runID in Set(found.items.map(\.item.runID)) {
            screenshots[runID] = ((try? store.artifacts(runID: runID)) ?? []).filter { $0.kind == .screenshot }
        }
        let groups = ExceptionQueue.group(found.items)
        page["groups"] = groups.enumerated().map { index, group -> [String: Any] in
            [
                "index": index + 1, "pattern": group.pattern, "example": group.example, "count": group.items.count,
                "items": group.items.map { listing -> [String: Any] in
                    var row = Self.itemRow(listing)
                    row["payload"] = listing.item.payload.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
                    if let shot = screenshots[listing.item.runID]?.last(where: { $0.itemKey == listing.item.key }) {
                        row["screenshot"] = String(shot.id)
                    }
                    return row
                },
            ]
        }
        page["total"] = found.total == 1 ? "1 item" : "\(found.total) items"
        page["empty"] = groups.isEmpty
        return .html(templates.render("exceptions", page))
    }

    // MARK: Details

    func runPage(id: String, _ request: Request, _ signedIn: SignedIn) -> Response {
        guard let run = try? store.run(id: id) else {
            return message(title: "No such run", text: "There is no run \(id).", status: .notFound, signedIn: signedIn, back: "/activity?kind=runs")
        }
        var page = layout(title: "Run \(run.id)", signedIn: signedIn, active: "activity")
        page["run"] = Self.compact([
            "id": run.id, "flow": run.flow, "flowPath": run.flowPath, "state": run.state.rawValue,
            "stateClass": run.state.rawValue.replacingOccurrences(of: "_", with: "-"), "trigger": run.trigger.rawValue, "by": run.triggeredBy,
            "started": Self.time(run.startedAt), "finished": Self.time(run.finishedAt), "stage": run.currentStage ?? "",
            "step": run.currentStep ?? "", "failure": run.failure ?? "",
        ])
        page["inputs"] = run.inputs.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        page["captured"] = ((try? store.variables(runID: run.id)) ?? [:]).sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        page["checkpointRows"] = ((try? store.runCheckpoints(runID: run.id)) ?? []).map { checkpoint in
            renderRow("checkpoint-row", [
                "name": checkpoint.step.map { "\(checkpoint.stage) · step \($0 + 1)" } ?? checkpoint.stage, "isStage": checkpoint.step == nil,
                "state": checkpoint.state.rawValue, "attempt": checkpoint.attempt > 1 ? "attempt \(checkpoint.attempt)" : "",
                "detail": checkpoint.detail ?? "", "at": Self.time(checkpoint.updatedAt),
            ])
        }.joined()
        // The first page of the run's items, like Recent activity: a run of thousands of items stays one quick page.
        let found = (try? store.runItems(runID: run.id, limit: Self.runPageItems)) ?? (items: [], total: 0)
        let items = found.items
        page["itemRows"] = items.map { renderRow("run-item-row", Self.itemRow(ItemListing(item: $0, flow: run.flow))) }.joined()
        if found.total > items.count {
            page["moreItems"] = "Showing \(items.count) of \(found.total) items."
            page["moreItemsLink"] = "/activity?kind=items&q=\(FormFields.encode(run.id))"
        }
        addArtifacts((try? store.artifacts(runID: run.id)) ?? [], to: &page)
        let audit = (try? store.auditLog(aboutRun: run.id, limit: Self.runPageAuditRows)) ?? []
        addAudit(audit, to: &page)
        if audit.count == Self.runPageAuditRows {
            page["auditLimited"] = "The newest \(Self.runPageAuditRows) audit rows; `ferry show \(run.id)` lists them all."
        }
        page["canRetry"] = signedIn.canAct && (run.state == .failed || run.state == .needsReview || run.state == .interrupted)
        return .html(templates.render("run", page))
    }

    func itemPage(id: Int64?, _ request: Request, _ signedIn: SignedIn) -> Response {
        guard let id, let item = try? store.item(id: id) else {
            return message(title: "No such item", text: "There is no such work item.", status: .notFound, signedIn: signedIn, back: "/activity")
        }
        let run = try? store.run(id: item.runID)
        let summary = item.lastError.map { ExceptionQueue.summary(of: $0, key: item.key) }
        var page = layout(title: "Item \(item.key)", signedIn: signedIn, active: "activity")
        page["item"] = Self.compact([
            "id": String(item.id), "key": item.key, "runID": item.runID, "flow": run?.flow ?? "", "state": item.state.rawValue,
            "stateClass": item.state.rawValue.replacingOccurrences(of: "_", with: "-"), "attempts": item.attempts,
            "reason": item.lastError ?? "", "claimedBy": item.claimedBy ?? "", "updated": Self.time(item.updatedAt),
            "heldBy": Self.holder(of: item), "heldSince": item.state == .processing ? item.claimedAt.map(Self.time) ?? "" : "",
            "summary": summary ?? "", "hasDetails": summary != nil && summary != item.lastError,
        ])
        page["payload"] = item.payload.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        addArtifacts(((try? store.artifacts(runID: item.runID)) ?? []).filter { $0.itemKey == item.key }, to: &page)
        addAudit((try? store.auditLog(entityType: "item", entityID: String(item.id), limit: 10_000)) ?? [], to: &page)
        let effects = (try? store.sideEffects(runID: nil, itemKey: item.key)) ?? []
        page["effects"] = effects.map { effect in
            Self.compact([
                "key": effect.key, "state": effect.state == .done ? "confirmed" : effect.state.rawValue,
                "stateClass": effect.state == .done ? "done" : (effect.state == .unconfirmed ? "needs-review" : "processing"),
                "run": effect.runID, "result": effect.result ?? "", "detail": effect.detail ?? "",
                "at": Self.time(effect.completedAt ?? effect.actedAt ?? effect.createdAt),
            ])
        }
        page["hasEffects"] = !effects.isEmpty
        let open = item.state == .error || item.state == .needsReview
        page["canRedo"] = signedIn.canAct && (open || item.state == .done) && !effects.isEmpty
        page["canRetry"] = signedIn.canAct && open
        page["canMarkDone"] = signedIn.canAct && (open || item.state == .new)
        page["canEscalate"] = signedIn.canAct && [.error, .new, .done].contains(item.state)
        return .html(templates.render("item", page))
    }

    /// `template` rendered from `values` alone, once for each distinct set of values (a run's unchanged
    /// checkpoints and items on every reload of its page).
    func renderRow(_ template: String, _ values: [String: Any]) -> String {
        guard let key = RenderedRows.key(template: template, values) else { return templates.render(template, values) }
        return renderedRows.html(for: key) { templates.render(template, values) }
    }

    /// The `artifacts` partial's rows, each rendered once (see ``RenderedRows``).
    func addArtifacts(_ artifacts: [Artifact], to page: inout [String: Any]) {
        page["hasArtifacts"] = !artifacts.isEmpty
        page["artifactRows"] = artifacts.map { artifact in
            renderedRows.html(for: "artifact \(artifact.id)") { templates.render("artifact-row", Self.artifactRow(artifact)) }
        }.joined()
    }

    /// The `audit` partial's rows, each rendered once (see ``RenderedRows``).
    func addAudit(_ entries: [AuditEntry], to page: inout [String: Any]) {
        page["auditRows"] = entries.map { entry in
            renderedRows.html(for: "audit \(entry.sequence) \(entry.hash)") { templates.render("audit-row", Self.auditRow(entry)) }
        }.joined()
    }

    static func artifactRow(_ artifact: Artifact) -> [String: Any] {
        compact([
            "id": String(artifact.id), "kind": artifact.kind.rawValue, "name": artifact.name ?? (artifact.path as NSString).lastPathComponent,
            "isScreenshot": artifact.kind == .screenshot, "size": fileSize(artifact.size),
            "stage": artifact.stage ?? "", "step": artifact.step.map { String($0 + 1) } ?? "", "sha": String(artifact.sha256.prefix(12)),
        ])
    }

    /// A file's size for people, in decimal units like Finder's: `34 bytes`, `31 KB`, `1.2 MB`, `1.23 GB`.
    /// Integer arithmetic: Foundation's `ByteCountFormatter` built an ICU number formatter for every call,
    /// which was most of a run page's artifact list.
    static func fileSize(_ bytes: Int) -> String {
        if bytes < 1000 { return bytes == 1 ? "1 byte" : "\(max(bytes, 0)) bytes" }
        let units = ["KB", "MB", "GB", "TB", "PB", "EB"]
        var unit = 0
        var divisor = 1000.0
        while unit < units.count - 1, Double(bytes) / divisor >= 999.5 {
            unit += 1
            divisor *= 1000
        }
        let decimals = min(unit, 2)
        let scale = [1.0, 10.0, 100.0][decimals]
        let scaled = Int((Double(bytes) / divisor * scale).rounded())
        let whole = scaled / Int(scale)
        var fraction = decimals == 0 ? "" : String(scaled % Int(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole) \(units[unit])" : "\(whole).\(fraction) \(units[unit])"
    }

    static func auditRow(_ entry: AuditEntry) -> [String: Any] {
        [
            "seq": entry.sequence, "at": time(entry.at), "actor": entry.actor, "entity": "\(entry.entityType) \(entry.entityID)",
            "change": [entry.fromState, entry.toState].compactMap { $0 }.joined(separator: " → "), "reason": entry.reason ?? "",
            "isOperator": entry.actor.hasPrefix("operator:"),
        ]
    }

    // MARK: Artifacts

    func artifact(id: Int64?) -> Response {
        guard let id, let artifact = try? store.artifact(id: id), let path = artifactFiles.file(for: artifact),
            let data = FileManager.default.contents(atPath: path)
        else {
            return .text("no such file", contentType: "text/plain; charset=utf-8", status: .notFound)
        }
        let name = (path as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
        let inline = artifact.kind == .screenshot || ArtifactFiles.contentType(for: artifact, path: path).hasPrefix("text/html")
        return Response(
            status: .ok,
            headers: [
                .contentType: ArtifactFiles.contentType(for: artifact, path: path), .cacheControl: "private, max-age=60",
                .contentDisposition: "\(inline ? "inline" : "attachment"); filename=\"\(name)\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Trigger

    func triggerPage(_ request: Request, _ signedIn: SignedIn) -> Response {
        var page = layout(title: "Trigger a flow", signedIn: signedIn, active: "trigger")
        page["flows"] = flowFiles().map { ["name": $0] }
        page["hasFlows"] = !flowFiles().isEmpty
        page["flowsDirectory"] = configuration.flowsDirectory
        page["hasLauncher"] = launcher != nil
        return .html(templates.render("trigger", page))
    }
}
