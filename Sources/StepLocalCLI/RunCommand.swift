import ArgumentParser
import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON

/// `steplocal run`: runs one definition in-process and prints its outcome, to try a state
/// machine without a server. A Task calls its service's real endpoint when `--endpoint` or the
/// environment names one, and otherwise fails loudly (mocks come with scenarios).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a state machine definition in-process and print its output."
    )

    @Argument(help: "Path to the definition (Amazon States Language JSON).")
    var definition: String

    @Option(help: "The execution input as JSON text.")
    var input: String = "{}"

    @Option(name: .customLong("input-file"), help: "Read the execution input from this file instead.")
    var inputFile: String?

    @Flag(help: "Print the execution history (GetExecutionHistory's events) after the output.")
    var history = false

    @Flag(name: .customLong("real-clock"), help: "Really wait in Wait states and retries (default: a virtual clock that passes them instantly).")
    var realClock = false

    @Option(help: "The state machine type: STANDARD or EXPRESS.")
    var type: String = "STANDARD"

    @Option(help: "Serve S3 to Distributed Maps from DIR: ItemReader reads bucket B, key K from DIR/B/K, ResultWriter writes there. [env: STEPLOCAL_S3_DIR]")
    var s3Dir: String?

    @Option(name: .customLong("start-at"), help: ArgumentHelp(
        "Start at this state instead of StartAt; it receives the input. A state inside a Parallel branch or Map processor runs that branch or iteration to its end.",
        valueName: "STATE"))
    var startAt: String?

    @Option(help: "Variables in scope when the run starts, as a JSON object (with --start-at: what earlier states would have assigned).")
    var variables: String?

    @Option(help: "Members laid over the Context object ($$), as a JSON object, e.g. {\"Execution\": {\"Name\": \"order-42\"}}.")
    var context: String?

    @OptionGroup var endpointOptions: EndpointOptions

    func run() async throws {
        let text = try readFile(definition)
        guard let machineType = StateMachineType(rawValue: type.uppercased()) else {
            throw ValidationError("--type must be STANDARD or EXPRESS")
        }
        let loaded: StateMachineDefinition
        do {
            loaded = try StateMachineDefinition.load(text, type: machineType)
        } catch {
            printError(error.invalidDefinitionMessage)
            throw ExitCode(2)
        }
        let inputText = try inputFile.map(readFile) ?? input
        let inputValue: JSONValue
        do {
            inputValue = try JSONValue(parsing: inputText)
        } catch {
            printError("The input is not valid JSON: \(error)")
            throw ExitCode(2)
        }
        if let startAt, loaded.program(containing: startAt) == nil {
            printError("--start-at: the definition has no state '\(startAt)' (its states: \(loaded.allStateNames.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        var variableValues: [String: JSONValue] = [:]
        for (name, value) in try jsonObjectOption(variables, name: "--variables") { variableValues[name] = value }
        let contextValues = try context.map { try jsonObjectOption($0, name: "--context") }
        let endpoints = try endpointOptions.resolved()
        let clock: any ExecutionClock = realClock ? SystemClock() : VirtualClock(start: SystemClock().now())
        var engine = ExecutionEngine(clock: clock)
        // Only a service a flag or variable names is called; every other Task fails as unmocked.
        if !endpoints.isEmpty { engine.dispatcher = EndpointTaskDispatcher(configuration: endpoints) }
        if let directory = s3Dir ?? ProcessInfo.processInfo.environment["STEPLOCAL_S3_DIR"] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--s3-dir '\(directory)' is not a folder (its subfolders are the buckets)")
            }
            engine.objectStore = DirectoryObjectStore(root: URL(fileURLWithPath: directory))
        } else if let s3 = endpoints.endpoint(for: "s3") {
            engine.objectStore = S3EndpointObjectStore(endpoint: s3, credentials: endpoints.credentials, region: endpoints.region)
        }
        let name = URL(fileURLWithPath: definition).deletingPathExtension().lastPathComponent
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:\(name):local-run",
            name: "local-run", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:\(name)",
            stateMachineName: name, roleArn: "arn:aws:iam::123456789012:role/StepLocal", startTime: clock.now())
        let result = await engine.run(
            loaded, input: inputValue, identity: identity,
            options: RunOptions(variables: variableValues, contextOverrides: contextValues, startAt: startAt))
        if history {
            for event in result.history { print(event.json().serialized()) }
        }
        switch result.status {
        case .succeeded:
            print((result.output ?? .null).serialized(pretty: true))
        default:
            print("\(result.status.rawValue): \(result.error ?? "") \(result.cause ?? "")")
            throw ExitCode(1)
        }
    }
}

/// A JSON object given on the command line (`--variables`, `--context`); nil text is empty.
private func jsonObjectOption(_ text: String?, name: String) throws -> JSONObject {
    guard let text else { return [:] }
    let value: JSONValue
    do {
        value = try JSONValue(parsing: text)
    } catch {
        printError("\(name) is not valid JSON: \(error)")
        throw ExitCode(2)
    }
    guard case .object(let object) = value else {
        printError("\(name) must be a JSON object, found \(value.typeName)")
        throw ExitCode(2)
    }
    return object
}

func readFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw ValidationError("Cannot read '\(path)'")
    }
    return text
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
