import Foundation

/// Pictures of a page for people to look at: a whole page without the bars that follow the
/// viewport, and a small JPEG preview of what the window shows.
extension WebDriverSession {
    /// A PNG of the whole page with its fixed and sticky elements hidden while it is taken.
    ///
    /// Chromium draws a full page by enlarging the capture, not the layout viewport, so a
    /// `position: fixed` bar (a database admin's console, a cookie notice) is drawn where the first
    /// screen ended: a red band across the middle of the page, covering rows. Hiding those elements
    /// (`visibility: hidden`, restored right after, whatever happens) leaves the page as it reads.
    public func fullPageScreenshot(hidingFixedElements: Bool) async throws(WebDriverError) -> Data {
        guard hidingFixedElements else { return try await fullPageScreenshot() }
        let hidden = (try? await executeScript(PageShotScripts.hideFixed))?.number ?? 0
        do {
            let png = try await fullPageScreenshot()
            if hidden > 0 { _ = try? await executeScript(PageShotScripts.restoreFixed) }
            return png
        } catch {
            if hidden > 0 { _ = try? await executeScript(PageShotScripts.restoreFixed) }
            throw error
        }
    }

    /// A JPEG of what the window shows, scaled down to at most `maxWidth` pixels wide: small enough
    /// to embed in a report (tens of kilobytes where a full-page PNG is megabytes).
    ///
    /// Related DevTools documentation: https://chromedevtools.github.io/devtools-protocol/tot/Page/#method-captureScreenshot
    public func previewJPEG(maxWidth: Int = 480, quality: Int = 60) async throws(WebDriverError) -> Data {
        let viewport = try await executeScript("return [window.scrollX, window.scrollY, window.innerWidth, window.innerHeight];")
        let numbers = (viewport.array ?? []).compactMap(\.number)
        var parameters: JSONValue = ["format": "jpeg", "quality": .number(Double(min(max(quality, 1), 100)))]
        if numbers.count == 4, numbers[2] > 0, numbers[3] > 0 {
            let scale = min(1, Double(maxWidth) / numbers[2])
            parameters = [
                "format": "jpeg", "quality": .number(Double(min(max(quality, 1), 100))),
                "clip": ["x": .number(numbers[0]), "y": .number(numbers[1]), "width": .number(numbers[2]), "height": .number(numbers[3]), "scale": .number(scale)],
            ]
        }
        let value = try await devTools("Page.captureScreenshot", parameters)
        return try WebDriverSession.decodeBase64(value["data"] ?? .null, command: "Page.captureScreenshot", what: "JPEG")
    }
}

/// The scripts behind ``WebDriverSession/fullPageScreenshot(hidingFixedElements:)``.
enum PageShotScripts {
    /// Hides every fixed or sticky element, remembering its own inline visibility; returns how many.
    static let hideFixed = """
        var count = 0;
        var all = document.querySelectorAll('body *');
        for (var i = 0; i < all.length; i++) {
          var element = all[i];
          var position = window.getComputedStyle(element).position;
          if (position !== 'fixed' && position !== 'sticky') continue;
          element.setAttribute('data-ferry-hidden', element.style.getPropertyValue('visibility') + '|' + element.style.getPropertyPriority('visibility'));
          element.style.setProperty('visibility', 'hidden', 'important');
          count++;
        }
        return count;
        """

    /// Puts back what ``hideFixed`` changed.
    static let restoreFixed = """
        var hidden = document.querySelectorAll('[data-ferry-hidden]');
        for (var i = 0; i < hidden.length; i++) {
          var element = hidden[i];
          var saved = element.getAttribute('data-ferry-hidden').split('|');
          element.removeAttribute('data-ferry-hidden');
          if (saved[0]) { element.style.setProperty('visibility', saved[0], saved[1] || ''); } else { element.style.removeProperty('visibility'); }
        }
        return hidden.length;
        """
}
