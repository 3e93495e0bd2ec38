/// Where a session's commands go, as far as the client moved them: the window the session started
/// in, the windows it left for another (so closing a popup goes back to where it came from), the
/// order windows were first seen in (so "the newest" means something), and how many frames deep the
/// current context is.
struct BrowsingPlace: Sendable {
    var mainWindow: String?
    /// Window handles in the order this client first saw them.
    var seen: [String] = []
    /// The windows switched away from, the latest last.
    var trail: [String] = []
    /// 0 at the top of the page; a navigation or a window switch goes back to 0.
    var frameDepth = 0
}
