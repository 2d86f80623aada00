import AsyncHTTPClient

/// async-http-client's shared client: pooled connections, HTTP/1.1 and HTTP/2, TLS for https
/// endpoints. Task cancellation (the engine timing a task out, an execution stopped) cancels
/// the request.
public struct AsyncHTTPClientTransport: EndpointTransport {
    /// Answers larger than this are refused (Step Functions' own payload limit is 256 KiB).
    public var maximumBodySize = 16 * 1024 * 1024

    public init() {}

    public func send(_ request: PreparedHTTPRequest, timeout: Duration) async throws -> ServiceHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .init(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if !request.body.isEmpty { outgoing.body = .bytes(request.body) }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        do {
            let response = try await HTTPClient.shared.execute(outgoing, timeout: .nanoseconds(nanoseconds))
            let body = try await response.body.collect(upTo: maximumBodySize)
            return ServiceHTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw EndpointTransportError.timedOut
        }
    }
}
