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
        // Each search runs only where the bytes it looks for occur (grapheme-aware splitting and Foundation's
        // search over every reason were most of the exception queue's time); where they do, it runs as it did.
        var text = contains(reason, "\n")
            ? String(reason.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "") : reason
        // The evidence paths differ for every item: they are shown with the item, not in its summary.
        if contains(text, " — evidence:"), let evidence = text.range(of: " — evidence:") { text = String(text[..<evidence.lowerBound]) }
        let itemMarker = ", item \(key): "
        if !key.isEmpty, text.hasPrefix("stage '"), contains(text, itemMarker), let item = text.range(of: itemMarker) {
            text = String(text[item.upperBound...])
        }
        return text
    }

    /// Whether `text`'s UTF-8 holds `needle`'s bytes: when it does not, no search over characters finds it.
    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { bytes in
                guard let start = bytes.baseAddress, let first = bytes.first else { return true }
                guard let base = haystack.baseAddress, haystack.count >= bytes.count else { return false }
                for offset in 0...(haystack.count - bytes.count) where haystack[offset] == first {
                    if memcmp(base + offset, start, bytes.count) == 0 { return true }
                }
                return false
            }
        }
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
