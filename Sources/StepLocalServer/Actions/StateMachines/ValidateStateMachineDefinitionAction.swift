import StepLocalASL
import StepLocalJSON

/// ValidateStateMachineDefinition: runs the same loader as CreateStateMachine and reports its
/// diagnostics. `result` is FAIL when any ERROR is found; `severity` is the minimum severity
/// returned (default ERROR); `maxResults` (default 100) caps the list and sets `truncated`.
struct ValidateStateMachineDefinitionAction: ActionHandler {
    static let name = "ValidateStateMachineDefinition"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let text = try request.required("definition")
        let type = StateMachineType(rawValue: request.string("type") ?? "STANDARD") ?? .standard
        let includeWarnings = request.string("severity") == "WARNING"
        let maxResults = (request.int("maxResults") ?? 0) > 0 ? request.int("maxResults")! : 100

        let all = DefinitionLoading.diagnostics(text, type: type)
        let failed = all.contains { $0.severity == .error }
        let shown = all.filter { includeWarnings || $0.severity == .error }
        let kept = shown.prefix(maxResults)
        let diagnostics: [JSONValue] = kept.map { diagnostic in
            var object: JSONObject = [
                "severity": .string(diagnostic.severity.rawValue),
                "code": .string(diagnostic.code),
                "message": .string(diagnostic.message),
            ]
            if let location = diagnostic.location { object["location"] = .string(location) }
            return .object(object)
        }
        return [
            "result": .string(failed ? "FAIL" : "OK"),
            "diagnostics": .array(diagnostics),
            "truncated": .bool(shown.count > kept.count),
        ]
    }
}
