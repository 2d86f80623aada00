/// Sends one request and returns the whole answer. It exists so the dispatcher is tested with
/// a transport that answers from memory, and runs with ``AsyncHTTPClientTransport`` for real.
public protocol EndpointTransport: Sendable {
    /// Throws ``EndpointTransportError/timedOut`` when no full answer came within `timeout`;
    /// any other error means the call never got an answer (refused, reset, bad address).
    func send(_ request: PreparedHTTPRequest, timeout: Duration) async throws -> ServiceHTTPResponse
}

/// The transport's own failures that the dispatcher tells apart.
public enum EndpointTransportError: Error, Sendable, Equatable {
    case timedOut
}
