/// `window:`: goes to another window or tab (a popup a click opened), closes it, or goes back.
///
///     window: newest                                      # the window opened last (waits for it)
///     window: { page: title, contains: "Monthly report" } # the window whose title or URL matches
///     window: close                                       # closes this window, back to the one before
///     window: main                                        # back to the window the run started in
///
/// Every pass through a stage starts in the main window.
public struct WindowStep: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        /// The most recently opened window other than the main one; waits up to the step's timeout for one.
        case newest
        /// The window the session started in.
        case main
        /// Closes the current window and goes back to the one the flow came from.
        case close
        /// The window whose URL or title matches, waiting up to the step's timeout for it to open.
        case matching(PageProperty, TextMatcher)
    }

    public var target: Target

    public init(_ target: Target) { self.target = target }
}
