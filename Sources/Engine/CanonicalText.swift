import Flows

/// A flow value written out as text that depends only on what it says: the same in every process and
/// on every run, whatever line it was written on.
///
/// Built by reflection, so a new step option counts without anyone listing it here. Source locations
/// are left out (a comment added above a step moves it, it does not change it); dictionaries and sets
/// are written in sorted order (Swift iterates them in a different order in each process).
enum CanonicalText {
    static func of(_ value: Any) -> String {
        var text = ""
        write(value, to: &text)
        return text
    }

    private static func write(_ value: Any, to text: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first?.value {
                write(wrapped, to: &text)
            } else {
                text += "nil"
            }
        case .dictionary, .set:
            text += "{" + mirror.children.map { of($0.value) }.sorted().joined(separator: ",") + "}"
        case .collection:
            text += "[" + mirror.children.map { of($0.value) }.joined(separator: ",") + "]"
        case .enum where !mirror.children.isEmpty:
            for child in mirror.children {
                text += "\(mirror.subjectType).\(child.label ?? "")("
                write(child.value, to: &text)
                text += ")"
            }
        default:
            guard !mirror.children.isEmpty else {
                text += "\(mirror.subjectType):" + String(describing: value)
                return
            }
            text += "\(mirror.subjectType)("
            for child in mirror.children where !isLocation(child.value) {
                text += (child.label ?? "") + ":"
                write(child.value, to: &text)
                text += ","
            }
            text += ")"
        }
    }

    /// Whether a value is a source location, or an optional one (present or not).
    private static func isLocation(_ value: Any) -> Bool {
        if value is SourceLocation { return true }
        return Mirror(reflecting: value).subjectType == Optional<SourceLocation>.self
    }
}
