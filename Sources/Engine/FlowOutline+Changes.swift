import Store

extension FlowOutline {
    /// What changed from this outline to `newer`, one line per change for people; empty when the stages
    /// and steps are the same (an edited comment, selector or default does not count).
    ///
    ///     stage 'check_totals' added
    ///     stages reordered: was read_registry, process; now process, read_registry
    ///     stage 'enter_in_ledger': step 9 (click ledger.entry.save) changed; step 12 (screenshot entry-${item.key}) added
    func changes(to newer: FlowOutline) -> [String] {
        var lines: [String] = []
        let oldNames = stages.map(\.name)
        let newNames = newer.stages.map(\.name)
        for name in newNames where !oldNames.contains(name) { lines.append("stage '\(name)' added") }
        for name in oldNames where !newNames.contains(name) { lines.append("stage '\(name)' removed") }
        let oldKept = oldNames.filter(newNames.contains)
        let newKept = newNames.filter(oldNames.contains)
        if oldKept != newKept {
            lines.append("stages reordered: was \(oldKept.joined(separator: ", ")); now \(newKept.joined(separator: ", "))")
        }
        for stage in newer.stages {
            guard let old = stages.first(where: { $0.name == stage.name }) else { continue }
            var parts: [String] = []
            if old.digest != stage.digest { parts.append("its settings changed (if:, for_each_item:, session:, retry: or timeout:)") }
            parts += Self.stepChanges(from: old.steps, to: stage.steps)
            if !parts.isEmpty { lines.append("stage '\(stage.name)': " + parts.joined(separator: "; ")) }
        }
        return lines
    }

    /// Step by step, since checkpoints are by index: a step inserted shows as every later step changed.
    private static func stepChanges(from old: [Step], to new: [Step]) -> [String] {
        var parts: [String] = []
        for index in 0..<max(old.count, new.count) {
            let number = index + 1
            switch (old.indices.contains(index) ? old[index] : nil, new.indices.contains(index) ? new[index] : nil) {
            case (let before?, let after?) where before.digest != after.digest:
                parts.append(before.summary == after.summary
                    ? "step \(number) (\(after.summary)) changed"
                    : "step \(number) changed from \(before.summary) to \(after.summary)")
            case (nil, let after?):
                parts.append("step \(number) (\(after.summary)) added")
            case (let before?, nil):
                parts.append("step \(number) (\(before.summary)) removed")
            default:
                break
            }
        }
        let shown = 6
        guard parts.count > shown else { return parts }
        return Array(parts.prefix(shown)) + ["\(parts.count - shown) more steps differ"]
    }
}
