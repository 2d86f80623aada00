import StepLocalJSON
import StepLocalJSONPath

/// One state of a definition: the fields every state type shares (transitions, data flow,
/// Retry/Catch, Assign) plus its type-specific ``State/Kind``.
public final class State: Sendable {
    public let name: String
    public let queryLanguage: QueryLanguage
    public let kind: Kind
    /// The next state, or nil when the state ends its program (`End: true`, Succeed, Fail, Choice).
    public let next: String?

    // JSONPath data flow (absent fields keep their AWS defaults).
    public let inputPath: InputOutputPath
    public let outputPath: InputOutputPath
    public let resultPath: ResultPath
    /// `Parameters` (Pass, Task, Parallel, Map legacy) — a payload template.
    public let parameters: PayloadTemplate?
    public let resultSelector: PayloadTemplate?

    // JSONata data flow.
    public let arguments: PayloadTemplate?
    public let output: PayloadTemplate?

    /// `Assign` in either language.
    public let assign: PayloadTemplate?
    public let retry: [Retrier]
    public let catchers: [Catcher]

    /// The type name AWS uses in history events (`Pass` → `PassStateEntered`).
    public var typeName: String { kind.typeName }

    init(
        name: String, queryLanguage: QueryLanguage, kind: Kind, next: String?, inputPath: InputOutputPath,
        outputPath: InputOutputPath, resultPath: ResultPath, parameters: PayloadTemplate?, resultSelector: PayloadTemplate?,
        arguments: PayloadTemplate?, output: PayloadTemplate?, assign: PayloadTemplate?, retry: [Retrier], catchers: [Catcher]
    ) {
        self.name = name
        self.queryLanguage = queryLanguage
        self.kind = kind
        self.next = next
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.resultPath = resultPath
        self.parameters = parameters
        self.resultSelector = resultSelector
        self.arguments = arguments
        self.output = output
        self.assign = assign
        self.retry = retry
        self.catchers = catchers
    }

    /// What a state does beyond data flow.
    public enum Kind: Sendable {
        /// Pass: passes its input, or its `Result`, through.
        case pass(result: JSONValue?)
        // The large specs are boxed: a state's kind is read on every state run, and an inline
        // MapSpec made each read copy (and retain and release) every field of the largest case.
        indirect case task(TaskSpec)
        indirect case choice(ChoiceSpec)
        indirect case wait(WaitSpec)
        case succeed
        indirect case fail(FailSpec)
        case parallel(branches: [StateProgram])
        indirect case map(MapSpec)

        public var typeName: String {
            switch self {
            case .pass: "Pass"
            case .task: "Task"
            case .choice: "Choice"
            case .wait: "Wait"
            case .succeed: "Succeed"
            case .fail: "Fail"
            case .parallel: "Parallel"
            case .map: "Map"
            }
        }
    }
}

/// InputPath / OutputPath: absent means `$` (everything), `null` means `{}` (nothing).
public enum InputOutputPath: Sendable {
    case whole
    case empty
    case path(JSONPath)
}

/// ResultPath: absent means `$` (the result replaces the input), `null` discards the result.
public enum ResultPath: Sendable {
    case replace
    case discard
    case path(JSONPath)
}

/// A number field that may be written literally, as a `*Path` reference, or as JSONata.
public enum NumberSource: Sendable {
    case literal(JSONValue)
    case path(JSONPath, field: String)
    case expression(PayloadTemplate, field: String)
}

/// A string field that may be written literally, as a `*Path` (or intrinsic), or as JSONata.
public enum StringSource: Sendable {
    case literal(String)
    case path(PayloadTemplate, field: String)
    case expression(PayloadTemplate, field: String)
}

/// The fields of a Task state.
public struct TaskSpec: Sendable {
    public let resource: String
    public let timeoutSeconds: NumberSource?
    public let heartbeatSeconds: NumberSource?
    public let credentials: JSONValue?
    /// `Credentials` compiled like Parameters (`RoleArn.$`, intrinsics, JSONata): TaskScheduled
    /// records the role it names as `taskCredentials.roleArn`.
    public let credentialsTemplate: PayloadTemplate?
}

/// The fields of a Wait state: exactly one of its four ways to say how long.
public enum WaitSpec: Sendable {
    case seconds(NumberSource)
    case timestamp(StringSource)
}

/// The fields of a Fail state.
public struct FailSpec: Sendable {
    public let error: StringSource?
    public let cause: StringSource?
}

/// The fields of a Choice state.
public struct ChoiceSpec: Sendable {
    public let choices: [ChoiceBranch]
    public let defaultNext: String?
}

/// One entry of `Choices`: a rule, where to go, and (JSONata / variables) what to output and assign.
public struct ChoiceBranch: Sendable {
    public let rule: ChoiceRule
    public let next: String
    public let assign: PayloadTemplate?
    public let output: PayloadTemplate?
}

/// The fields of a Map state (inline processing; distributed maps run their items the same way).
public struct MapSpec: Sendable {
    public let itemsPath: JSONPath?
    /// JSONata `Items` (an array literal or expression).
    public let items: PayloadTemplate?
    public let itemSelector: PayloadTemplate?
    public let processor: StateProgram
    public let maxConcurrency: NumberSource?
    public let toleratedFailurePercentage: NumberSource?
    public let toleratedFailureCount: NumberSource?
    public let isDistributed: Bool
    /// Distributed only: `ProcessorConfig.ExecutionType`, the type of the child executions
    /// (nil when not given: the state machine's own). EXPRESS children run for at most five
    /// minutes, as any EXPRESS execution.
    public let childExecutionType: StateMachineType?
    public let label: String?
    /// Distributed only: items read from S3 instead of taken from the input.
    public let itemReader: ItemReaderSpec?
    /// Distributed only: items grouped into batches, one child execution per batch.
    public let itemBatcher: ItemBatcherSpec?
    /// Distributed only: results written to S3 and/or reshaped.
    public let resultWriter: ResultWriterSpec?
}

/// A `Retry` entry, with AWS's defaults filled in.
public struct Retrier: Sendable {
    public let errorEquals: [String]
    public let intervalSeconds: Double
    public let maxAttempts: Int
    public let backoffRate: Double
    public let maxDelaySeconds: Double?
    public let jitterFull: Bool
}

/// A `Catch` entry.
public struct Catcher: Sendable {
    public let errorEquals: [String]
    public let next: String
    public let resultPath: ResultPath
    public let assign: PayloadTemplate?
    public let output: PayloadTemplate?
}

extension Retrier {
    public func matches(_ error: StatesError) -> Bool { ErrorMatching.matches(errorEquals, error) }
}

extension Catcher {
    public func matches(_ error: StatesError) -> Bool { ErrorMatching.matches(errorEquals, error) }
}

/// How `ErrorEquals` selects errors: exact names, with `States.ALL` matching all but
/// States.Runtime and States.DataLimitExceeded, and `States.TaskFailed` matching every task error
/// except timeouts. States.Runtime matches nothing, not even its own name: AWS documents that it
/// "isn't retriable, and will always cause the execution to fail" (Handling errors in Step
/// Functions workflows, `concepts-error-handling.html`), and recorded an OutputPath failure passing
/// a `"ErrorEquals": ["States.Runtime"]` catcher by.
enum ErrorMatching {
    static func matches(_ names: [String], _ error: StatesError) -> Bool {
        if error.error == "States.Runtime" { return false }
        for name in names {
            if name == error.error { return true }
            if name == StatesError.all, !error.isExcludedFromStatesAll { return true }
            if name == StatesError.taskFailedName, !error.error.hasPrefix("States.") || error.error == "States.TaskFailed" {
                // States.TaskFailed matches any error a task raised except States.Timeout/HeartbeatTimeout.
                if !["States.Timeout", "States.HeartbeatTimeout", "States.Runtime", "States.DataLimitExceeded"].contains(error.error) {
                    return true
                }
            }
        }
        return false
    }
}
