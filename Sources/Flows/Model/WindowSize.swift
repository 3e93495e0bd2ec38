/// The browser window's size in CSS pixels, written `1280x900`: what a page lays out for (a narrow
/// window may hide a menu behind a button) and what screenshots show.
public struct WindowSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The sizes a window may have: smaller lays no page out, larger is no screen.
    public static let widths = 320...7680
    public static let heights = 240...4320

    /// Parses `1280x900` (also `1280X900`, `1280,900`); nil when it is not that shape or out of bounds.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(whereSeparator: { $0 == "x" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            Self.widths.contains(width), Self.heights.contains(height)
        else { return nil }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width)x\(height)" }
}
