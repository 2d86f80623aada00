import ArgumentParser
import Foundation
import StepLocalASL
import StepLocalIntegrations
import StepLocalJSON
import StepLocalScenarios

/// `steplocal record`: turns an execution that ran elsewhere into a scenario file, from what the
/// AWS CLI exports or read live from the endpoint it ran on, so that `steplocal test` replays it
/// offline with every Task answered as it was.
struct RecordCommand: AsyncParsableCommand {
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
            Or read it live from any Step Functions endpoint (AWS, StepLocal, another emulator),
            signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN:
              steplocal record --endpoint https://states.us-east-1.amazonaws.com --execution-arn ARN -o scenarios/regression.json
            """)

    @Option(help: "GetExecutionHistory's answer (get-execution-history --output json), or a JSON array of events.")
    var history: String?

    @Option(help: "The definition: an ASL file, or describe-state-machine(-for-execution) --output json.")
    var definition: String?

    @Option(help: "Read the execution live from this Step Functions endpoint (with --execution-arn) instead of files.")
    var endpoint: String?

    @Option(name: .customLong("execution-arn"), help: "The execution to read from --endpoint.")
    var executionArn: String?

    @Option(help: "DescribeExecution's answer (optional): names the case after the execution and the machine after its ARN.")
    var execution: String?

    @Option(name: .customLong("case"), help: "The case's name (default: the execution's name, or 'recorded').")
    var caseName: String?

    @Option(name: .customLong("state-machine"), help: "The state machine's name in the scenario (default: from the definition file or the execution).")
    var stateMachine: String?

    @Option(name: [.short, .long], help: "Write the scenario (JSON, which scenario files may be) here instead of standard output.")
    var output: String?

    func run() async throws {
        let (historyDocument, definitionDocument, executionDocument) = try await documents()
        let machineArn = executionDocument?["stateMachineArn"]?.stringValue ?? definitionDocument["stateMachineArn"]?.stringValue
        let machineName = stateMachine ?? machineArn.map { String($0.split(separator: ":").last ?? "") }
            ?? URL(fileURLWithPath: definition ?? "recorded").deletingPathExtension().deletingPathExtension().lastPathComponent
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

    /// The history, the definition document and DescribeExecution's answer (optional from
    /// files): from the files named, or live from `--endpoint`.
    private func documents() async throws -> (history: JSONValue, definition: JSONValue, execution: JSONValue?) {
        switch (endpoint, executionArn) {
        case (nil, nil):
            guard let history, let definition else {
                throw ValidationError("Give --history and --definition (files exported with the AWS CLI), or --endpoint and --execution-arn")
            }
            return (try parse(history), try parse(definition), try execution.map(parse))
        case (let endpoint?, let executionArn?):
            guard history == nil, definition == nil, execution == nil else {
                throw ValidationError("--endpoint reads the history, definition and execution itself: leave out --history, --definition and --execution")
            }
            return try await live(endpoint: endpoint, executionArn: executionArn)
        default:
            throw ValidationError("--endpoint and --execution-arn go together")
        }
    }

    /// DescribeExecution, DescribeStateMachineForExecution and every page of
    /// GetExecutionHistory, signed with the usual AWS credentials (placeholders when none are
    /// set, which emulators accept) for the region the execution ARN names.
    private func live(endpoint url: String, executionArn: String) async throws -> (history: JSONValue, definition: JSONValue, execution: JSONValue?) {
        let endpoint: EndpointConfiguration.Endpoint
        do { endpoint = try EndpointConfiguration.Endpoint(url: url, origin: "--endpoint") } catch {
            throw ValidationError(error.description)
        }
        guard let arn = ARN(executionArn), arn.service == "states", arn.resource.count >= 3,
            arn.resource[0] == "execution" || arn.resource[0] == "express"
        else {
            throw ValidationError("--execution-arn '\(executionArn)' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME)")
        }
        let credentials = EndpointConfiguration.credentials(environment: ProcessInfo.processInfo.environment)
        let client = StepFunctionsAPIClient(endpoint: endpoint, credentials: credentials, region: arn.region)
        do {
            let execution = try await client.call("DescribeExecution", ["executionArn": .string(executionArn)])
            let machine = try await client.call("DescribeStateMachineForExecution", ["executionArn": .string(executionArn)])
            let events = try await client.executionHistory(executionArn)
            return (["events": .array(events)], machine, execution)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(1)
        }
    }

    private func parse(_ path: String) throws -> JSONValue {
        do { return try JSONValue(parsing: try readFile(path)) } catch let error as ValidationError { throw error } catch {
            throw ValidationError("'\(path)' is not JSON: \(error)")
        }
    }
}
