import Foundation
import Store

extension RunReport {
    /// JUnit XML for CI and cron users: one test case per stage and per work item. A failed stage or
    /// an item in error is a failure; an item in needs_review is a failure of type `needs_review`,
    /// since a person has to act before the day's work is complete.
    public func junitXML() -> String {
        let e = HTMLText.xml
        let failingItems = items.filter { $0.state == .error || $0.state == .needsReview }
        let failingStages = stages.filter { $0.state == "failed" }
        let tests = stages.count + items.count
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="ferry" tests="\(tests)" failures="\(failingItems.count + failingStages.count)" time="\(Self.junitSeconds(duration))">
            <testsuite name="\(e(run.flow))" id="\(e(run.id))" tests="\(tests)" failures="\(failingItems.count + failingStages.count)" timestamp="\(e(Self.time(run.startedAt)))" time="\(Self.junitSeconds(duration))">

            """
        for stage in stages {
            xml += "<testcase classname=\"\(e(run.flow)).stages\" name=\"\(e(stage.name))\" time=\"\(Self.junitSeconds(stage.duration))\""
            if stage.state == "failed" {
                xml += "><failure type=\"stage\" message=\"\(e(stage.detail ?? "failed"))\"/></testcase>\n"
            } else if stage.state == "skipped" {
                xml += "><skipped message=\"\(e(stage.detail ?? "skipped"))\"/></testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        for item in items {
            xml += "<testcase classname=\"\(e(run.flow)).items\" name=\"\(e(item.key))\""
            switch item.state {
            case .error, .needsReview:
                xml += "><failure type=\"\(e(item.state.rawValue))\" message=\"\(e(item.lastError ?? item.state.rawValue))\"/></testcase>\n"
            case .done:
                xml += "/>\n"
            default:
                xml += "><skipped message=\"not finished: \(e(item.state.rawValue))\"/></testcase>\n"
            }
        }
        xml += "</testsuite>\n</testsuites>\n"
        return xml
    }

    private static func junitSeconds(_ interval: TimeInterval?) -> String {
        String(format: "%.3f", interval ?? 0)
    }
}
