/// A signed request ready to send: the full URL, method, headers (Host and Authorization
/// included) and body. It exists so the transport sends exactly the bytes and headers that were
/// signed, and tests can read them.
public struct PreparedHTTPRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(url: String, method: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}
