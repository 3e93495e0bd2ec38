import Foundation

/// How every backend writes dictionaries and outlines into text columns: sorted keys, so the same value
/// always serialises to the same text (payloads are hashed into the audit chain).
public enum StoreJSON {
    public static func text(_ dictionary: [String: String]) -> String {
        let data = (try? JSONEncoder.sorted.encode(dictionary)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func dictionary(_ json: String?) -> [String: String] {
        guard let json, let data = json.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }

    public static func text(_ outline: FlowOutline?) -> String? {
        guard let outline, let data = try? JSONEncoder.sorted.encode(outline) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public static func outline(_ json: String?) -> FlowOutline? {
        guard let json, let data = json.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(FlowOutline.self, from: data)
    }
}
