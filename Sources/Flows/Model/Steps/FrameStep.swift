/// `frame:`: makes a frame of the page the place the next steps act in (a `<frame>` of a frameset or
/// an `<iframe>`), or goes back out.
///
///     frame: { name: main }        # the frame named (or with the id) "main"
///     frame: menu.frame            # the <frame>/<iframe> a selector key finds
///     frame: { index: 0 }          # the first frame of the page
///     frame: parent                # one level out
///     frame: top                   # back to the page itself
///
/// A frame is entered from where the steps are now, so a frame inside a frame is two steps. Every
/// pass through a stage starts at the top of the page, and a `goto` goes back to the top too.
public struct FrameStep: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        /// The page itself.
        case top
        /// The frame that holds the current one.
        case parent
        /// The `<frame>` or `<iframe>` a selector key finds.
        case element(SelectorReference)
        /// The frame whose `name` (or `id`) is this.
        case name(String)
        /// The nth frame of the current document, from 0.
        case index(Int)
    }

    public var target: Target

    public init(_ target: Target) { self.target = target }
}
