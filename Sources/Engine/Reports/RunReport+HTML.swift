import Foundation
import Store

extension RunReport {
    /// A self-contained page (styles inline, small previews of the failure screenshots embedded)
    /// that can be mailed or archived and still shows what happened without Ferry or its folders.
    /// Each preview links its full-page screenshot: relative to `folder` (where the report is
    /// written) when given, by absolute path otherwise. A screenshot without a preview is embedded
    /// only when it is small; a full-page PNG can be megabytes.
    ///
    /// Every value from the run is escaped: item payloads come from foreign systems.
    public func html(embeddingScreenshotsUpTo limit: Int = 12, folder: String? = nil) -> String {
        let e = HTMLText.escape
        var page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(HTMLText.reportPolicy)">
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(run.flow)) · \(e(run.id)) · \(e(run.state.rawValue))</title>
            <style>
            body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d2228; }
            h1 { font-size: 1.4rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #d5dae0; }
            table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e6e9ee; vertical-align: top; }
            th { background: #f4f6f8; font-weight: 600; } .num { text-align: right; font-variant-numeric: tabular-nums; }
            .state { display: inline-block; padding: 0 .5rem; border-radius: .7rem; font-size: .85rem; background: #e6e9ee; }
            .succeeded, .done, .completed, .passed { background: #d8f0dd; } .failed, .error { background: #f8d7d7; }
            .needs_review, .running, .started { background: #fbeccb; } .skipped { background: #eceff3; }
            .failure { background: #fdf1f1; border-left: 4px solid #c94040; padding: .6rem 1rem; white-space: pre-wrap; }
            img { max-width: 100%; border: 1px solid #d5dae0; margin-top: .4rem; } .muted { color: #5f6b78; }
            img.preview { max-width: 30rem; }
            </style></head><body>
            <h1>\(e(run.flow)) <span class="state \(e(run.state.rawValue))">\(e(run.state.rawValue))</span></h1>
            <p class="muted">Run \(e(run.id)) · \(e(run.trigger.rawValue)) by \(e(run.triggeredBy)) · started \(e(Self.time(run.startedAt)))\(run.finishedAt.map { " · finished " + e(Self.time($0)) } ?? "") · \(e(Self.seconds(duration)))</p>

            """
        if !run.inputs.isEmpty {
            page += "<p class=\"muted\">Inputs: " + run.inputs.sorted { $0.key < $1.key }.map { "\(e($0.key)) = \(e($0.value))" }.joined(separator: " · ") + "</p>\n"
        }
        if let failure = run.failure {
            page += "<h2>Why it failed</h2>\n<div class=\"failure\">\(e(failure))</div>\n"
        }
        let counts = itemCounts
        page += "<h2>Stages</h2>\n<table><tr><th>stage</th><th>state</th><th class=\"num\">attempts</th><th class=\"num\">time</th><th>note</th></tr>\n"
        for stage in stages {
            page += "<tr><td>\(e(stage.name))</td><td><span class=\"state \(e(stage.state))\">\(e(stage.state))</span></td>"
                + "<td class=\"num\">\(stage.attempts)</td><td class=\"num\">\(e(Self.seconds(stage.duration)))</td><td>\(e(stage.detail ?? ""))</td></tr>\n"
        }
        page += "</table>\n"
        if !gates.isEmpty {
            page += "<h2>Reconciliation gates</h2>\n<table><tr><th>gate</th><th>result</th><th>figures</th></tr>\n"
            for gate in gates {
                let state = gate.passed ? "passed" : "failed"
                page += "<tr><td>\(e(gate.name))</td><td><span class=\"state \(state)\">\(state)</span></td><td>\(e(gate.figures))</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "<h2>Work items</h2>\n<p>" + (items.isEmpty ? "No work items." : ItemState.allCases.compactMap { state in
            counts[state].map { "<span class=\"state \(e(state.rawValue))\">\(e(state.rawValue))</span> \($0)" }
        }.joined(separator: " &nbsp; ")) + "</p>\n"
        let exceptions = items.filter { $0.state == .error || $0.state == .needsReview }
        var embedded = 0
        if !exceptions.isEmpty {
            page += "<table><tr><th>item</th><th>state</th><th>reason</th></tr>\n"
            for item in exceptions {
                page += "<tr><td>\(e(item.key))</td><td><span class=\"state \(e(item.state.rawValue))\">\(e(item.state.rawValue))</span></td><td>\(e(item.lastError ?? ""))"
                for screenshot in artifacts where screenshot.kind == .screenshot && screenshot.itemKey == item.key && screenshot.name == nil {
                    page += image(screenshot, embedded: &embedded, limit: limit, folder: folder)
                }
                page += "</td></tr>\n"
            }
            page += "</table>\n"
        }
        if !effects.isEmpty {
            let byState = Dictionary(grouping: effects, by: \.state).mapValues(\.count)
            page += "<h2>Changes to target systems</h2>\n<p>" + SideEffect.State.allCases.compactMap { state in
                byState[state].map { "<span class=\"state \(e(state.rawValue))\">\(e(state == .done ? "confirmed" : state.rawValue))</span> \($0)" }
            }.joined(separator: " &nbsp; ") + "</p>\n"
            let uncertain = effects.filter { $0.state != .done }
            if !uncertain.isEmpty {
                page += "<table><tr><th>key</th><th>item</th><th>state</th><th>why</th></tr>\n"
                for effect in uncertain {
                    page += "<tr><td>\(e(effect.key))</td><td>\(e(effect.itemKey ?? ""))</td><td>\(e(effect.state.rawValue))</td><td>\(e(effect.detail ?? ""))</td></tr>\n"
                }
                page += "</table>\n"
            }
        }
        let runEvidence = artifacts.filter { $0.kind == .screenshot && $0.itemKey == nil && $0.name == nil }
        if !runEvidence.isEmpty {
            page += "<h2>Evidence</h2>\n"
            for screenshot in runEvidence { page += "<p>\(e(screenshot.stage ?? "")) step \((screenshot.step ?? 0) + 1)" + image(screenshot, embedded: &embedded, limit: limit, folder: folder) + "</p>\n" }
        }
        if !drift.isEmpty {
            page += "<h2>Selector drift</h2>\n<ul>\n" + drift.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        let files = artifacts.filter { $0.kind != .screenshot && !($0.name ?? "").hasPrefix("records:") && !($0.name ?? "").hasPrefix("page:") }
        if !files.isEmpty {
            page += "<h2>Files</h2>\n<table><tr><th>kind</th><th>file</th><th class=\"num\">bytes</th><th>sha256</th></tr>\n"
            for file in files {
                page += "<tr><td>\(e(file.kind.rawValue))</td><td>\(e(file.path))</td><td class=\"num\">\(file.size)</td><td class=\"muted\">\(e(String(file.sha256.prefix(16))))…</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "<p class=\"muted\">Written by Ferry at \(e(Self.time(Date()))). The audit log holds every step: ferry audit log --entity run --id \(e(run.id))</p>\n</body></html>\n"
        return page
    }

    /// The largest screenshot embedded as it is, when it has no preview.
    static let largestEmbeddedScreenshot = 200_000

    private func image(_ artifact: Artifact, embedded: inout Int, limit: Int, folder: String?) -> String {
        let e = HTMLText.escape
        let href = e(Self.link(to: artifact.path, from: folder))
        let link = "<br><a href=\"\(href)\">full-page screenshot</a> <span class=\"muted\">(\(e(artifact.path)), \(artifact.size / 1024) KiB)</span>"
        let previewName = "preview:" + (artifact.path as NSString).lastPathComponent
        if embedded < limit, let preview = artifacts.first(where: { $0.runID == artifact.runID && $0.name == previewName }),
            let data = FileManager.default.contents(atPath: preview.path)
        {
            embedded += 1
            return "<br><a href=\"\(href)\"><img class=\"preview\" alt=\"preview of the page when the step failed\" src=\"data:image/jpeg;base64,\(data.base64EncodedString())\"></a>" + link
        }
        if embedded < limit, artifact.size <= Self.largestEmbeddedScreenshot, let data = FileManager.default.contents(atPath: artifact.path) {
            embedded += 1
            return "<br><img alt=\"screenshot\" src=\"data:image/png;base64,\(data.base64EncodedString())\">" + link
        }
        return link
    }

    /// `path` as a link from a page in `folder`: relative when both are absolute, the path otherwise.
    static func link(to path: String, from folder: String?) -> String {
        let escape = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? text }
        guard let folder, path.hasPrefix("/"), folder.hasPrefix("/") else { return escape(path) }
        let target = URL(fileURLWithPath: path).standardized.pathComponents
        let base = URL(fileURLWithPath: folder).standardized.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let relative = Array(repeating: "..", count: base.count - common) + target[common...]
        return escape(relative.joined(separator: "/"))
    }

    /// `2026-11-23T05:30:00Z`. The Swift-native format style: an `ISO8601DateFormatter` per call went through ICU.
    static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
