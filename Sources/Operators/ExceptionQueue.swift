import Foundation
import Store

/// Items in error or review, grouped by the pattern of their failure reason, so a failure that recurs
/// (the same missing field on thirty items) shows as one group of thirty, not thirty rows.
public struct ExceptionGroup: Sendable {
    /// The reason with its numbers generalised: `billing line # has no amount`.
    public var pattern: String
    /// One full reason of the group, as written.
    public var example: String
    public var items: [ItemListing]
}

public enum ExceptionQueue {
    /// Groups `items` by reason pattern, largest group first.
    public static func group(_ items: [ItemListing]) -> [ExceptionGroup] {
        var groups: [String: ExceptionGroup] = [:]
        var order: [String] = []
        for listing in items {
            let reason = listing.item.lastError ?? "no reason recorded"
            let pattern = Self.pattern(of: reason, key: listing.item.key)
            if groups[pattern] == nil {
                groups[pattern] = ExceptionGroup(pattern: pattern, example: reason, items: [])
                order.append(pattern)
            }
            groups[pattern]?.items.append(listing)
        }
        return order.compactMap { groups[$0] }.enumerated()
            .sorted { ($0.element.items.count, -$0.offset) > ($1.element.items.count, -$1.offset) }
            .map(\.element)
    }

    /// What went wrong in the words a person needs: for the engine's failures (`stage 'x', step 1 (…) at
    /// file:95:9, item KEY: MESSAGE — evidence: …`), the MESSAGE; otherwise the reason's first line.
    public static func summary(of reason: String, key: String) -> String {
        var text = String(reason.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
        // The evidence paths differ for every item: they are shown with the item, not in its summary.
        if let evidence = text.range(of: " — evidence:") { text = String(text[..<evidence.lowerBound]) }
        if !key.isEmpty, text.hasPrefix("stage '"), let item = text.range(of: ", item \(key): ") {
            text = String(text[item.upperBound...])
        }
        return text
    }

    /// The reason's summary, without the item's key, with its numbers generalised.
    public static func pattern(of reason: String, key: String) -> String {
        var text = summary(of: reason, key: key)
        if !key.isEmpty { text = text.replacingOccurrences(of: key, with: "…") }
        var result = ""
        var inDigits = false
        for character in text {
            if character.isNumber {
                if !inDigits { result.append("#") }
                inDigits = true
                continue
            }
            inDigits = false
            result.append(character)
        }
        return result.count > 200 ? String(result.prefix(200)) + "…" : result
    }
}
