import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization

/// What TestState's DEBUG and TRACE levels show: the values the engine actually produced at
/// each stage of the tested state's data flow. It is bound as the engine's
/// ``StateInspection`` hook for the one run, and also wraps the dispatcher, because the Task
/// parameters (`afterParameters`, or `afterArguments` in JSONata) are what the task was sent.
/// Only the tested state is recorded (the Succeed stubs it moves to are not), and the first
/// value of a stage wins.
final class InspectionRecorder: StateInspector, Sendable {
    let stateName: String
    private let stages = Mutex<[InspectionStage: JSONValue]>([:])
    private let sentParameters = Mutex<(JSONValue, QueryLanguage)?>(nil)

    init(stateName: String) {
        self.stateName = stateName
    }

    func inspect(_ stage: InspectionStage, _ value: JSONValue, of state: State) {
        guard state.name == stateName else { return }
        stages.withLock { if $0[stage] == nil { $0[stage] = value } }
    }

    /// The error the tested state's Catch handled (`{"Error", "Cause"}`), if one did.
    var caughtError: JSONObject? {
        stages.withLock { $0[.caughtError]?.objectValue }
    }

    /// The dispatcher that answers the run, seeing the tested Task's parameters on the way.
    func dispatcher(wrapping inner: any TaskDispatcher, queryLanguage: QueryLanguage) -> any TaskDispatcher {
        ParameterTap(inner: inner) { [self] request in
            guard request.stateName == stateName else { return }
            sentParameters.withLock { if $0 == nil { $0 = (request.parameters, queryLanguage) } }
        }
    }

    /// AWS's `InspectionData`: JSON members as JSON text, `errorDetails` as a structure.
    func inspectionData(retry: (index: Int, backoffSeconds: Double)?) -> JSONObject {
        let recorded = stages.withLock { $0 }
        var data: JSONObject = [:]
        func put(_ key: String, _ value: JSONValue?) {
            if let value { data[key] = .string(value.serialized()) }
        }
        put("input", recorded[.input])
        put("afterInputPath", recorded[.afterInputPath])
        if let (parameters, language) = sentParameters.withLock({ $0 }) {
            put(language == .jsonata ? "afterArguments" : "afterParameters", parameters)
        } else {
            put("afterParameters", recorded[.afterParameters])
        }
        put("result", recorded[.result])
        put("afterResultSelector", recorded[.afterResultSelector])
        put("afterResultPath", recorded[.afterResultPath])
        put("afterItemsPath", recorded[.afterItemsPath])
        put("afterItemSelector", recorded[.afterItemSelector])
        // Map settings are numbers in InspectionData, not JSON text.
        for stage in [InspectionStage.maxConcurrency, .toleratedFailureCount, .toleratedFailurePercentage] {
            if let value = recorded[stage] { data[stage.rawValue] = value }
        }
        if case .object(let variables)? = recorded[.variables], !variables.isEmpty { put("variables", .object(variables)) }
        var errorDetails: JSONObject = [:]
        if let index = recorded[.catchIndex] { errorDetails["catchIndex"] = index }
        if let retry {
            errorDetails["retryIndex"] = .int(retry.index)
            errorDetails["retryBackoffIntervalSeconds"] = .int(Int(retry.backoffSeconds.rounded(.up)))
        }
        if !errorDetails.isEmpty { data["errorDetails"] = .object(errorDetails) }
        return data
    }
}

/// Forwards every request to `inner` after showing it to `observe`.
private struct ParameterTap: TaskDispatcher {
    let inner: any TaskDispatcher
    let observe: @Sendable (TaskRequest) -> Void

    func validate(_ request: TaskRequest) async throws(StatesError) {
        try await inner.validate(request)
    }

    func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        try await inner.mockedItemReader(request)
    }

    func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        observe(request)
        return try await inner.dispatch(request)
    }
}
