import ArgumentParser
import Flows
import Foundation

/// `ferry validate [PATH...]`: checks flow files without starting a browser, compiler style.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check flow files for every problem at once, without starting a browser.",
        discussion: """
            Each problem is printed as file:line:column: error|warning: message, the form editors and \
            terminals jump to, followed by the line it is on. Folders are searched for .yaml and .yml \
            files. The exit status is 1 when any file has an error (or a warning, with --strict). \
            Secrets are never resolved, and a line that holds a secret written by mistake is never printed.
            """
    )

    @Argument(help: ArgumentHelp("Flow files, or folders to search for them.", valueName: "file-or-folder"))
    var paths: [String] = ["flows"]

    @Flag(help: "Fail on warnings too (unused selectors, inputs or secrets, ...).")
    var strict = false

    @Flag(help: "Print only the file:line:column lines, without the source line and caret under each.")
    var noSnippets = false

    func run() async throws {
        var files: [String] = []
        for path in paths {
            guard let found = Self.flowFiles(at: path) else {
                print("\(path): error: no such file or folder")
                throw ExitCode(1)
            }
            if found.isEmpty { print("\(path): warning: no .yaml or .yml files here") }
            files += found
        }

        var printed = Set<FlowDiagnostic>()
        var errors = 0
        var warnings = 0
        for file in files {
            let check = FlowLoader.check(path: file)
            for diagnostic in check.diagnostics where printed.insert(diagnostic).inserted {
                print(diagnostic)
                if !noSnippets, let snippet = check.snippet(for: diagnostic) { print(snippet) }
                if diagnostic.isError { errors += 1 } else { warnings += 1 }
            }
        }

        let checked = "\(files.count) file\(files.count == 1 ? "" : "s")"
        if errors == 0, warnings == 0 {
            print("Checked \(checked): no problems.")
        } else {
            print("Checked \(checked): \(Self.count(errors, "error")), \(Self.count(warnings, "warning")).")
        }
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// A file as given, or the `.yaml` and `.yml` files under a folder (hidden ones skipped), sorted;
    /// nil when the path does not exist.
    private static func flowFiles(at path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                files.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
            }
        }
        return files.sorted()
    }
}
