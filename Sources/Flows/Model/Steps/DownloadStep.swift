/// `download: { click: appointments.export, save_as: appointments.csv, timeout: 60s }`: save a file the
/// page offers, as a run artifact later steps `read` or `upload` by its name.
public struct DownloadStep: Hashable, Sendable {
    public enum Trigger: Hashable, Sendable {
        /// Click the element that starts the download.
        case click(SelectorReference)
        /// Fetch this URL in the browser session.
        case url(Template)
    }

    public var trigger: Trigger
    /// The artifact's file name (no folders).
    public var saveAs: Template

    public init(trigger: Trigger, saveAs: Template) {
        self.trigger = trigger
        self.saveAs = saveAs
    }
}
