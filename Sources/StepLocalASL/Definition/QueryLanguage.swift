/// Which expression language a state evaluates: JSONPath (paths, templates, intrinsics) or
/// JSONata (`{% ... %}`). Set for the whole machine and overridable per state.
public enum QueryLanguage: String, Sendable, Hashable {
    case jsonPath = "JSONPath"
    case jsonata = "JSONata"
}

/// STANDARD or EXPRESS: decides which integration patterns a definition may use and how
/// executions are listed and started.
public enum StateMachineType: String, Sendable, Hashable {
    case standard = "STANDARD"
    case express = "EXPRESS"
}
