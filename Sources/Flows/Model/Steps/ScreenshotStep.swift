/// `screenshot: after-login`: save a PNG of the page as a run artifact (named `after-login.png`).
public struct ScreenshotStep: Hashable, Sendable {
    public var name: Template

    public init(name: Template) { self.name = name }
}
