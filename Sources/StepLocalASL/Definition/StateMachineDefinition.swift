import StepLocalJSON

/// A loaded, validated state machine: the definition text compiled once into states whose
/// paths, templates, intrinsics and JSONata expressions are already parsed. Executions share
/// it and never re-parse anything.
public struct StateMachineDefinition: Sendable {
    /// The definition as written (for DescribeStateMachine and tests).
    public let source: JSONValue
    public let comment: String?
    public let queryLanguage: QueryLanguage
    public let timeoutSeconds: Int?
    /// The type it was loaded for: an EXPRESS execution runs for at most five minutes (see
    /// ``maximumDurationSeconds``).
    public let type: StateMachineType
    /// The top-level states; Parallel branches and Map processors nest their own.
    public let program: StateProgram

    init(source: JSONValue, comment: String?, queryLanguage: QueryLanguage, timeoutSeconds: Int?, type: StateMachineType, program: StateProgram) {
        self.source = source
        self.comment = comment
        self.queryLanguage = queryLanguage
        self.timeoutSeconds = timeoutSeconds
        self.type = type
        self.program = program
    }

    /// AWS's "Quotas for Express Workflows": an EXPRESS execution runs for at most five minutes,
    /// whatever its `TimeoutSeconds` says (a larger one is accepted and does not lengthen it).
    public static let expressMaximumDurationSeconds = 300

    /// How long an execution of this definition may run before it times out: its
    /// `TimeoutSeconds`, capped at five minutes for EXPRESS; nil when nothing limits it.
    public var maximumDurationSeconds: Int? {
        guard type == .express else { return timeoutSeconds }
        return min(timeoutSeconds ?? Self.expressMaximumDurationSeconds, Self.expressMaximumDurationSeconds)
    }

    /// What a Distributed Map's child executions run: the Map's `ItemProcessor` as a state
    /// machine of its own, in this definition's query language, without its `TimeoutSeconds`, of
    /// `type` (the Map's `ExecutionType`; this definition's own when nil).
    public func childDefinition(running processor: StateProgram, type: StateMachineType? = nil) -> StateMachineDefinition {
        StateMachineDefinition(
            source: .null, comment: nil, queryLanguage: queryLanguage, timeoutSeconds: nil, type: type ?? self.type, program: processor)
    }

    /// Parses and validates `text`, throwing every problem found (CreateStateMachine).
    public static func load(_ text: String, type: StateMachineType = .standard) throws(DefinitionLoadError) -> StateMachineDefinition {
        var loader = DefinitionLoader(type: type)
        guard let definition = loader.load(text), loader.diagnostics.allSatisfy({ $0.severity != .error }) else {
            throw DefinitionLoadError(diagnostics: loader.diagnostics)
        }
        return definition
    }

    /// Every diagnostic for `text` (ValidateStateMachineDefinition); empty when it is valid.
    public static func validate(_ text: String, type: StateMachineType = .standard) -> [Diagnostic] {
        var loader = DefinitionLoader(type: type)
        _ = loader.load(text)
        return loader.diagnostics
    }
}

/// A `StartAt` plus its `States`: the top level, a Parallel branch or a Map's ItemProcessor.
/// A final class so Map iterations and branches share one copy.
public final class StateProgram: Sendable {
    public let startAt: String
    public let states: [String: State]
    /// State names in definition order.
    public let stateNames: [String]
    /// True when no state in the program (or nested in it) can suspend: no Task, no Wait, and
    /// no Parallel/Map that could. The engine runs such programs inline, without child tasks.
    public let neverWaits: Bool

    init(startAt: String, states: [String: State], stateNames: [String]) {
        self.startAt = startAt
        self.states = states
        self.stateNames = stateNames
        self.neverWaits = states.values.allSatisfy { state in
            switch state.kind {
            case .pass, .choice, .succeed, .fail: return true
            case .task, .wait: return false
            case .parallel(let branches): return branches.allSatisfy(\.neverWaits)
            case .map(let spec): return spec.processor.neverWaits
            }
        }
    }
}
