import Foundation
import Testing
import WebDriver

/// Pictures of a page under a fixed console bar (`/lab/fixed-bar`, 300 rows and a red bar fixed
/// to the bottom of the window), decoded by the browser itself to see where the red is.
@Suite("Page pictures: full pages without fixed bars, small previews")
struct PageShotTests {
    /// The rows (y) of the picture whose left edge is the bar's red, and the picture's height.
    private func redRows(of png: Data, in session: WebDriverSession) async throws -> (rows: [Int], height: Int) {
        let value = try await session.executeAsyncScript(
            """
            var done = arguments[arguments.length - 1];
            var image = new Image();
            image.onload = function () {
              var canvas = document.createElement('canvas');
              canvas.width = image.width; canvas.height = image.height;
              var context = canvas.getContext('2d');
              context.drawImage(image, 0, 0);
              var pixels = context.getImageData(2, 0, 1, image.height).data;
              var rows = [];
              for (var y = 0; y < image.height; y++) {
                if (pixels[y * 4] > 200 && pixels[y * 4 + 1] < 60 && pixels[y * 4 + 2] < 60) rows.push(y);
              }
              done([image.height, rows]);
            };
            image.onerror = function () { done([0, []]); };
            image.src = 'data:image/png;base64,' + arguments[0];
            """, arguments: [.string(png.base64EncodedString())])
        let parts = value.array ?? []
        let height = Int(parts.first?.number ?? 0)
        let rows = (parts.count > 1 ? parts[1].array ?? [] : []).compactMap { $0.number.map(Int.init) }
        return (rows, height)
    }

    @Test("a full-page screenshot hides the fixed bar instead of stitching it into the middle of the page, and puts it back")
    func fixedBarHidden() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/fixed-bar"))
            let plain = try await session.fullPageScreenshot()
            let clean = try await session.fullPageScreenshot(hidingFixedElements: true)
            let visibility = try await session.executeScript(
                "return [getComputedStyle(document.getElementById('console-bar')).visibility, document.querySelectorAll('[data-ferry-hidden]').length];")

            let stitched = try await redRows(of: plain, in: session)
            #expect(stitched.height > 3000)
            // Chromium draws the bar where the first screen ended, over the rows.
            #expect(stitched.rows.contains { $0 < stitched.height - 100 }, "the plain full-page picture has no bar in the middle: \(stitched.rows.prefix(5))")
            let result = try await redRows(of: clean, in: session)
            #expect(result.height > 3000)
            #expect(result.rows.isEmpty, "red rows at \(result.rows.prefix(5))")
            #expect(visibility.array?.first?.string == "visible")
            #expect(visibility.array?.last?.number == 0)
        }
    }

    @Test("a preview is a JPEG of the window, at most 480 pixels wide")
    func preview() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/fixed-bar"))
            let jpeg = try await session.previewJPEG()
            #expect(jpeg.starts(with: [0xFF, 0xD8]))
            let width = try #require(Self.jpegWidth(jpeg))
            #expect(width <= 480 && width > 100, "the preview is \(width) pixels wide")
            #expect(jpeg.count < 100_000)
        }
    }

    /// The width in a JPEG's start-of-frame segment.
    static func jpegWidth(_ data: Data) -> Int? {
        let bytes = [UInt8](data)
        var index = 2
        while index + 9 < bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if (0xC0...0xC3).contains(marker) { return Int(bytes[index + 7]) << 8 | Int(bytes[index + 8]) }
            index += 2 + length
        }
        return nil
    }
}
