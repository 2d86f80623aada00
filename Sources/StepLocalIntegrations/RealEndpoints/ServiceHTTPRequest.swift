/// One HTTP request to a service, before signing: what a ``ServiceCall`` builds from a Task's
/// parameters. It is plain data so request building is tested without a network, and so the
/// signer and the transport see exactly the same bytes.
public struct ServiceHTTPRequest: Sendable {
    public var method: String
    /// Percent-encoded, relative to the endpoint's base path (e.g. `/` or
    /// `/2015-03-31/functions/my-function/invocations`).
    public var path: String
    /// Not encoded.
    public var query: [(String, String)]
    /// Without `Host`, `X-Amz-Date` and `Authorization`, which signing adds.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: [(String, String)] = [], headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// `/path?name=value&...`, encoded as signed.
    public func target(basePath: String) -> String {
        let path = basePath + path
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { SigV4Signer.uriEncode($0.0) + "=" + SigV4Signer.uriEncode($0.1) }.joined(separator: "&")
    }
}
