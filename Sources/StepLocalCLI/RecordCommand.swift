import ArgumentParser
import Foundation
import StepLocalJSON
import StepLocalScenarios

/// `steplocal record`: turns an execution that ran elsewhere into a scenario file, from what the
/// AWS CLI exports, so that `steplocal test` replays it offline with every Task answered as it was.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Turn a finished execution's history into a scenario file (input, Task answers as mocks, outcome).",
        discussion: """
            Export the execution with the AWS CLI, then record it:
              aws stepfunctions get-execution-history --execution-arn ARN --output json > history.json
              aws stepfunctions describe-state-machine-for-execution --execution-arn ARN --output json > machine.json
              steplocal record --history history.json --definition machine.json -o scenarios/regression.json
              steplocal test scenarios/regression.json
            --definition also takes the ASL file itself.
            """)

    @Option(help: "GetExecutionHistory's answer (get-execution-history --output json), or a JSON array of events.")
    var history: String

    @Option(help: "The definition: an ASL file, or describe-state-machine(-for-execution) --output json.")
    var definition: String

    @Option(help: "DescribeExecution's answer (optional): names the case after the execution and the machine after its ARN.")
    var execution: String?

    @Option(name: .customLong("case"), help: "The case's name (default: the execution's name, or 'recorded').")
    var caseName: String?

    @Option(name: .customLong("state-machine"), help: "The state machine's name in the scenario (default: from the definition file or the execution).")
    var stateMachine: String?

    @Option(name: [.short, .long], help: "Write the scenario (JSON, which scenario files may be) here instead of standard output.")
    var output: String?

    func run() throws {
        let historyDocument = try parse(history)
        let definitionDocument = try parse(definition)
        let executionDocument = try execution.map(parse)
        let machineArn = executionDocument?["stateMachineArn"]?.stringValue ?? definitionDocument["stateMachineArn"]?.stringValue
        let machineName = stateMachine ?? machineArn.map { String($0.split(separator: ":").last ?? "") }
            ?? URL(fileURLWithPath: definition).deletingPathExtension().deletingPathExtension().lastPathComponent
        let name = caseName ?? executionDocument?["name"]?.stringValue ?? "recorded"
        let names = ExecutionRecording.Names(
            scenario: "Recorded: \(machineName) / \(name)", stateMachine: machineName, caseName: name,
            type: definitionDocument["type"]?.stringValue ?? "STANDARD")
        let scenario: JSONValue
        do {
            scenario = try ExecutionRecording.scenario(
                definition: try ExecutionRecording.definition(in: definitionDocument),
                events: try ExecutionRecording.events(in: historyDocument), names: names)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(1)
        }
        let text = JSONSerializer(pretty: true).serialize(scenario) + "\n"
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("Cannot write '\(output)': \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
    }

    private func parse(_ path: String) throws -> JSONValue {
        do { return try JSONValue(parsing: try readFile(path)) } catch let error as ValidationError { throw error } catch {
            throw ValidationError("'\(path)' is not JSON: \(error)")
        }
    }
}
