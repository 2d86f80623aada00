import StepLocalASL
import StepLocalJSON
import Synchronization

/// A stage of a state's data-flow pipeline, named as AWS's `InspectionData` names it, so that
/// TestState's DEBUG level can show each stage's real value rather than re-derive it.
public enum InspectionStage: String, Sendable, CaseIterable {
    /// The raw state input.
    case input
    /// After InputPath (JSONPath states).
    case afterInputPath
    /// After Parameters (JSONPath Pass; Task parameters reach the dispatcher as `TaskRequest.parameters`).
    case afterParameters
    /// The state's raw result: a Pass state's Result or Parameters, the work's answer.
    case result
    /// After ResultSelector (JSONPath Task, Parallel, Map).
    case afterResultSelector
    /// After ResultPath, before OutputPath (JSONPath states that have a result, and Catch).
    case afterResultPath
    /// The workflow variables once the state has assigned its own.
    case variables
    /// The index of the Catch that handled the state's error (a number).
    case catchIndex
    /// The index of the Retry that retries the state's error (a number), once per retry.
    case retryIndex
    /// The index of the Choices rule that matched (a number), or -1 when Default was taken.
    case choiceIndex
    /// The error a Catch handled, as the Catch sees it (`{"Error", "Cause"}`).
    case caughtError
    /// A Map state's items after ItemsPath (JSONPath Map states).
    case afterItemsPath
    /// A Map state's iteration inputs after ItemSelector (an array; Map states with ItemSelector).
    case afterItemSelector
    /// A Map state's effective MaxConcurrency, ToleratedFailureCount and ToleratedFailurePercentage (numbers).
    case maxConcurrency, toleratedFailureCount, toleratedFailurePercentage
}

/// Receives the stages of the states an execution runs. Nothing is ever observed unless a
/// caller binds one with ``StateInspection/withInspector(_:operation:isolation:)`` around the run, as TestState does.
public protocol StateInspector: Sendable {
    func inspect(_ stage: InspectionStage, _ value: JSONValue, of state: State)
}

/// The inspection hook: a task-local, so it reaches the interpreter (and the execution task it
/// starts) without a parameter on every call. Bind it with ``withInspector(_:operation:)``,
/// which also counts the bound inspectors: while none is bound anywhere, which is every run
/// but TestState's, a state costs one relaxed atomic load and not even a task-local read.
public enum StateInspection {
    @TaskLocal public static var current: (any StateInspector)?
    private static let bound = Atomic<Int>(0)

    /// Runs `operation` with `inspector` seeing the stages of every state it runs.
    public static func withInspector<R: Sendable>(
        _ inspector: (any StateInspector)?, operation: () async throws -> R, isolation: isolated (any Actor)? = #isolation
    ) async rethrows -> R {
        guard let inspector else { return try await operation() }
        bound.add(1, ordering: .relaxed)
        defer { bound.subtract(1, ordering: .relaxed) }
        return try await $current.withValue(inspector, operation: operation)
    }

    /// True while some inspector is bound somewhere (then the task-local says whether it is ours).
    static var isBound: Bool { bound.load(ordering: .relaxed) > 0 }

    static func inspect(_ stage: InspectionStage, _ value: JSONValue, of state: State) {
        current?.inspect(stage, value, of: state)
    }
}
