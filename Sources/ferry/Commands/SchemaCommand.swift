import ArgumentParser
import Flows

/// `ferry schema`: prints the JSON Schema of flow files, for editors.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of flow files, so editors complete and check them as you type.",
        discussion: """
            Save it next to the flows (ferry schema > flows/flow.schema.json) and start each flow with \
            the line '# yaml-language-server: $schema=flow.schema.json': VS Code's YAML extension then \
            completes keys and step kinds, shows their documentation and underlines mistakes. The output \
            is stable (sorted keys), so a checked-in copy only changes when the format does.
            """
    )

    func run() async throws {
        print(FlowSchema.json(), terminator: "")
    }
}
