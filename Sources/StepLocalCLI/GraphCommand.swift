import ArgumentParser
import Foundation
import StepLocalASL
import StepLocalGraph
import StepLocalJSON

/// `steplocal graph`: draws a definition as SVG, Graphviz DOT or Mermaid, optionally coloured by
/// an execution's history, so a state machine can be reviewed (or pasted into a pull request)
/// without opening the console.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a state machine definition as SVG, Graphviz DOT or Mermaid.",
        discussion: """
            With --execution-history, states are coloured by how that execution went (succeeded, failed,
            caught, running, cancelled, not reached). HISTORY.json is the output of
            `aws stepfunctions get-execution-history --output json` (an object with "events"), or a bare
            array of events.
            """
    )

    /// The output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case svg, dot, mermaid
    }

    @Argument(help: "Path to the definition (Amazon States Language JSON).")
    var definition: String

    @Option(help: "svg, dot or mermaid.")
    var format: Format = .svg

    @Option(name: .customLong("execution-history"), help: "Colour states by this execution history (HISTORY.json).")
    var executionHistory: String?

    @Option(name: [.short, .long], help: "Write the diagram to this file instead of standard output.")
    var output: String?

    @Option(help: "The state machine type: STANDARD or EXPRESS.")
    var type: String = "STANDARD"

    func run() throws {
        guard let machineType = StateMachineType(rawValue: type.uppercased()) else {
            throw ValidationError("--type must be STANDARD or EXPRESS")
        }
        let loaded: StateMachineDefinition
        do {
            loaded = try StateMachineDefinition.load(try readFile(definition), type: machineType)
        } catch let error as DefinitionLoadError {
            for d in error.diagnostics {
                printError("\(d.severity.rawValue) \(d.code) at \(d.location ?? "-"): \(d.message)")
            }
            throw ExitCode(1)
        }
        var statuses: [String: StateRunStatus] = [:]
        if let executionHistory {
            let document: JSONValue
            do {
                document = try JSONValue(parsing: try readFile(executionHistory))
            } catch let error as JSONParseError {
                printError("\(executionHistory) is not valid JSON: \(error)")
                throw ExitCode(1)
            }
            guard let events = ExecutionGraphStatus.events(inHistory: document) else {
                printError("\(executionHistory) holds neither an object with \"events\" nor an array of events")
                throw ExitCode(1)
            }
            statuses = ExecutionGraphStatus.statuses(events: events)
        }
        let graph = StateMachineGraph(definition: loaded)
        let text: String
        switch format {
        case .svg: text = graph.svg(statuses: statuses)
        case .dot: text = graph.dot(statuses: statuses)
        case .mermaid: text = graph.mermaid(statuses: statuses)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                throw ValidationError("Cannot write '\(output)'")
            }
        } else {
            print(text, terminator: "")
        }
    }
}
