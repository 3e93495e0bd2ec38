import Extract
import Flows
import Foundation
import Store
import WebDriver

extension StepRunner {
    // MARK: Download

    /// Downloads a file into the run's folder under the flow's name for it. A resumed run reuses a file
    /// already downloaded under that name while its sha256 still matches; nothing is ever overwritten.
    func runDownload(_ download: DownloadStep, _ context: StepContext, timeout: Duration) async throws(StepFailure) -> String? {
        let name = FailureEvidence.safe(try render(download.saveAs, context))
        if let reused = try reusableDownload(named: name) {
            execution.audit("reused \(reused.path) from an earlier attempt (sha256 \(reused.sha256.prefix(12))… still matches)", context: context)
            return reused.path
        }
        let session = try requireSession(context)
        let file: DownloadedFile
        switch download.trigger {
        case .click(let reference):
            let element = try await resolve(reference, .clickable, context, timeout: .seconds(10))
            file = try await attempt(context, selector: reference.key) { try await session.download(clicking: element, timeout: timeout) }
        case .url(let template):
            let url = try render(template, context)
            let link = try await attempt(context) {
                try await session.executeScript(
                    "const a = document.createElement('a'); a.href = arguments[0]; a.download = ''; document.body.appendChild(a); return a;",
                    arguments: [.string(url)])
            }
            guard let id = link[WebDriverElementReference.key]?.string else {
                throw context.failure("could not start the download of \(execution.redact(url))")
            }
            let element = WebDriverElement(session: session, id: id, locator: nil)
            file = try await attempt(context) { try await session.download(clicking: element, timeout: timeout) }
        }
        let destination = try place(file.path, as: name, context)
        do {
            try store.recordArtifact(
                Artifact(runID: execution.runID, kind: .download, path: destination, size: file.size, sha256: file.sha256,
                         stage: context.stage.name, step: context.index, itemKey: context.itemKey, name: name),
                actor: execution.actor(for: context))
        } catch {
            throw context.failure("the download landed but the store could not record it: \(error)", errorClass: .application)
        }
        return destination
    }

    private func reusableDownload(named name: String) throws(StepFailure) -> Artifact? {
        let artifacts = (try? store.artifacts(runID: execution.runID)) ?? []
        guard let artifact = artifacts.last(where: { $0.kind == .download && $0.name == name }) else { return nil }
        return FileDigest.sha256(path: artifact.path) == artifact.sha256 ? artifact : nil
    }

    /// Moves a landed download to `<run>/files/<name>`, never over an existing file.
    private func place(_ path: String, as name: String, _ context: StepContext) throws(StepFailure) -> String {
        let folder = execution.filesFolder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var destination = folder + "/" + name
            var counter = 2
            while FileManager.default.fileExists(atPath: destination) {
                let url = URL(fileURLWithPath: folder + "/" + name)
                let stem = url.deletingPathExtension().lastPathComponent
                destination = folder + "/\(stem)-\(counter)" + (url.pathExtension.isEmpty ? "" : "." + url.pathExtension)
                counter += 1
            }
            try FileManager.default.moveItem(atPath: path, toPath: destination)
            return destination
        } catch {
            throw context.failure("could not move the download to \(folder): \(error.localizedDescription)", errorClass: .application)
        }
    }

    // MARK: Extract

    /// Reads a table (following its pagination) or named fields from the page, through one page-source
    /// round trip per page and libxml2.
    func runExtract(_ extract: ExtractStep, _ context: StepContext, timeout: Duration) async throws(StepFailure) {
        let session = try requireSession(context)
        switch extract.source {
        case .table(let reference, let columns, let next, let maxPages):
            _ = try await resolve(reference, .present, context, timeout: timeout)
            guard let table = try candidates(reference, context).first else { return }
            var rows: [[String: String]] = []
            var pages = 0
            while true {
                pages += 1
                let source = try await attempt(context) { try await session.pageSource() }
                let url = try await attempt(context) { try await session.currentURL() }
                let selector = table.source
                let records = try await attempt(context, selector: reference.key) {
                    try await BlockingWork.run { try HTMLDocument(html: source, origin: url).table(selector) }
                }
                let named = FieldName.snakeCaseRecords(records)
                try checkColumns(columns, in: named.columns, of: "the table '\(reference.key)'", context)
                rows += named.records.map { record in columns.map { wanted in record.filter { wanted.contains($0.key) } } ?? record }
                guard let next else { break }
                guard try await turnPage(table: table, reference: reference, next: next, pages: pages, maxPages: maxPages, context, timeout: timeout) else { break }
            }
            try await execution.remember(records: rows, named: extract.into, context: context)
        case .fields(let fields):
            let source = try await attempt(context) { try await session.pageSource() }
            var selectors: [String: String] = [:]
            for field in fields {
                if let definition = flow.selectors[field.selector.key] { selectors[field.name] = definition.primary.source }
            }
            let wanted = selectors
            let values = try await attempt(context) {
                try await BlockingWork.run { () throws -> [String: String] in
                    let document = try HTMLDocument(html: source, origin: "page")
                    var values: [String: String] = [:]
                    for (name, selector) in wanted { values[name] = try document.node(selector)?.normalizedText ?? "" }
                    return values
                }
            }
            try await execution.remember(records: [values], named: extract.into, context: context)
        }
    }

    /// Goes to a table's next page through its `next:` control: a link, a form button that posts,
    /// or a button that reloads the grid in place. Returns false on the last page (no control, or a
    /// hidden or disabled one); otherwise clicks and waits until the table shows other rows.
    private func turnPage(
        table: (source: String, locator: Locator), reference: SelectorReference, next: SelectorReference, pages: Int, maxPages: Int,
        _ context: StepContext, timeout: Duration
    ) async throws(StepFailure) -> Bool {
        let session = try requireSession(context)
        var control: WebDriverElement?
        for candidate in try candidates(next, context) {
            if let found = try await attempt(context, selector: next.key, { try await session.findElements(candidate.locator).first }) {
                control = found
                break
            }
        }
        guard let control else { return false }
        let usable = try await attempt(context, selector: next.key) { () async throws -> Bool in
            let displayed = try await control.isDisplayed()
            let enabled = try await control.isEnabled()
            return displayed && enabled
        }
        guard usable else { return false }
        if pages >= maxPages {
            throw context.failure(
                "the table '\(reference.key)' has more than \(maxPages) pages; raise max_pages or narrow the search (no rows are dropped silently)",
                selector: next.key, errorClass: .application)
        }
        let before = try await attempt(context, selector: reference.key) { try await session.firstText(of: table.locator) } ?? ""
        try await attempt(context, selector: next.key) { try await control.clickWhenReceivable(timeout: timeout) }
        do {
            try await session.wait(for: .changed(table.locator, from: before), timeout: timeout)
            try await session.wait(for: .quiet(.milliseconds(50)), timeout: timeout)
        } catch {
            if error.code == .waitTimeout {
                throw context.failure(
                    "clicked '\(next.key)' for page \(pages + 1) of '\(reference.key)', but the table did not change within \(timeout). "
                        + "If this was the last page, the page should hide or disable '\(next.key)'; if the page is slow, raise the step's timeout",
                    selector: next.key)
            }
            throw failure(error, context, selector: next.key)
        }
        return true
    }

    /// The columns a flow relies on must all be there: a report or page that lost one stops the run
    /// here, rather than yielding records with empty fields.
    private func checkColumns(_ wanted: [String]?, in columns: [String], of what: String, _ context: StepContext) throws(StepFailure) {
        guard let wanted, !columns.isEmpty else { return }
        let missing = wanted.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            throw context.failure(
                "\(what) has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")); its columns are \(columns.joined(separator: ", ")). "
                    + "Has the source system changed its layout? Update the flow's 'columns'",
                errorClass: .application)
        }
    }

    // MARK: Read and write

    /// Reads a downloaded CSV, XML or HTML report into records.
    func runRead(_ read: ReadStep, _ context: StepContext) async throws(StepFailure) {
        let path = execution.resolvePath(try render(read.file, context))
        let format: ReportFormat = switch read.format {
        case .csv: .csv
        case .xml: .xml
        case .html: .html
        }
        // The flow's rows and fields are XPath for XML and HTML alike.
        let xpath = { (text: String) in read.format == .html && !text.hasPrefix("xpath=") ? "xpath=" + text : text }
        var options = ReportOptions()
        if read.format == .csv { options.delimiter = read.delimiter?.first }
        options.recordElement = read.rows.map(xpath)
        if !read.fields.isEmpty { options.fields = read.fields.map { FieldSelector($0.name, xpath($0.xpath)) } }
        let reportOptions = options
        let records = try await attempt(context) {
            try await BlockingWork.run { try ReportReader.read(path: path, format: format, options: reportOptions) }
        }
        let named = FieldName.snakeCaseRecords(records)
        var rows = named.records
        if let columns = read.columns {
            try checkColumns(columns, in: named.columns, of: "the report \((path as NSString).lastPathComponent)", context)
            rows = rows.map { $0.filter { columns.contains($0.key) } }
        }
        try await execution.remember(records: rows, named: read.into, context: context)
    }

    /// Writes records to a CSV file in the run folder (e.g. for a bulk upload).
    func runWrite(_ write: WriteStep, _ context: StepContext) async throws(StepFailure) {
        let rows = await execution.memory.records[write.from] ?? []
        let path = execution.resolvePath(try render(write.file, context))
        var table: [[String]] = []
        for row in rows {
            var rowContext = context
            rowContext.template.rows["row"] = row.mapValues(TemplateValue.text)
            if let filter = write.filter, !(try holds(filter, rowContext, what: "its `where:`")) { continue }
            var values: [String] = []
            for column in write.columns { values.append(try renderValue(column.value, rowContext)) }
            table.append(values)
        }
        let data = CSVWriter().data(RecordSet(columns: write.columns.map(\.name), rows: table))
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path), options: Data.WritingOptions.atomic)
            try store.recordArtifact(
                Artifact(runID: execution.runID, kind: .report, path: path, size: data.count, sha256: FileDigest.sha256(data),
                         stage: context.stage.name, step: context.index, name: (path as NSString).lastPathComponent),
                actor: execution.actor(for: context))
        } catch {
            throw context.failure("could not write \(path): \(error.localizedDescription)", errorClass: .application)
        }
    }

    // MARK: Items

    /// Turns records into work items: keyed, filtered, joined; records whose join partner is missing
    /// go to needs_review with the reason.
    func runItems(_ items: ItemsStep, _ context: StepContext) async throws(StepFailure) {
        let memory = execution.memory
        guard let rows = await memory.records[items.from] else {
            throw context.failure("there are no records named '\(items.from)' (read or extract them first)", errorClass: .application)
        }
        var partners: [[String: [String: String]]] = []
        for join in items.joins {
            var byValue: [String: [String: String]] = [:]
            for row in await memory.records[join.with] ?? [] {
                if let value = row[join.right] { byValue[value] = row }
            }
            partners.append(byValue)
        }
        var newItems: [NewWorkItem] = []
        var firstWith: [[String]: String] = [:]
        for row in rows {
            var rowContext = context
            rowContext.template.rows["row"] = row.mapValues(TemplateValue.text)
            var payload = row
            // Reasons to review: the record's own (from `normalize`), then its partners', then missing partners.
            var reviews: [String] = []
            var unmatched: [ItemsStep.Join] = []
            for (join, byValue) in zip(items.joins, partners) {
                if let partner = row[join.on].flatMap({ byValue[$0] }) {
                    if let reason = partner[NormalizeStep.reviewField] { reviews.append(reason) }
                    join.merge(partner, into: &payload)
                } else {
                    unmatched.append(join)
                }
            }
            // `where:` sees the record with what was joined to it. A record whose match is missing is
            // kept when the condition needs the match's fields: `missing:` decides what happens to it.
            var joinedContext = context
            joinedContext.template.rows["row"] = payload.mapValues(TemplateValue.text)
            if let filter = items.filter {
                do {
                    if !(try filter.evaluate(in: joinedContext.template)) { continue }
                } catch {
                    guard !unmatched.isEmpty else {
                        throw context.failure("its `where:` cannot be evaluated: \(error)", errorClass: .application)
                    }
                }
            }
            let key = try render(items.key, joinedContext)
            var skip = false
            for join in unmatched {
                switch join.missing {
                case .skip: skip = true
                case .fail:
                    throw context.failure("record \(key) has no match in '\(join.with)' on \(join.on)" + (join.right == join.on ? "" : " = \(join.right)"), errorClass: .business)
                case .review:
                    if let reason = join.reason {
                        reviews.append(try renderValue(reason, rowContext))
                    } else {
                        reviews.append("no matching record in \(join.with) for \(join.on) \(row[join.on] ?? "(empty)")")
                    }
                }
            }
            if skip { continue }
            if let duplicates = items.duplicates {
                let values = duplicates.on.map { row[$0] ?? "" }
                if let first = firstWith[values] {
                    let same = duplicates.on.map { "\($0) \(row[$0] ?? "")" }.joined(separator: ", ")
                    let reason = try duplicates.reason.map { template throws(StepFailure) in try renderValue(template, rowContext) }
                    reviews.append((reason.map { $0 + " " } ?? "") + "(same \(same) as \(first))")
                } else {
                    firstWith[values] = key
                }
            }
            if let own = row[NormalizeStep.reviewField] { reviews.insert(own, at: 0) }
            payload[NormalizeStep.reviewField] = nil
            newItems.append(NewWorkItem(key: key, payload: payload, reviewReason: reviews.isEmpty ? nil : reviews.joined(separator: "; ")))
        }
        do {
            let added = try store.addItems(newItems, runID: execution.runID, actor: execution.actor(for: context))
            execution.audit("\(added) new work items from \(rows.count) records of '\(items.from)'", context: context)
        } catch {
            throw context.failure("the store refused the items: \(error)", errorClass: .application)
        }
    }
}

/// The JSON key of an element reference in script results.
enum WebDriverElementReference {
    static let key = "element-6066-11e4-a52e-4f735466cecf"
}
