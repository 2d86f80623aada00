/// Why an endpoint setting was refused; the text names the setting and what to write instead.
public struct EndpointConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Equatable {
        case invalidURL(String, origin: String)
        case invalidFlag(String)
        case unknownService(String)
        case passthroughWithoutCredentials
    }

    private let code: Code

    static func invalidURL(_ url: String, origin: String) -> Self { Self(code: .invalidURL(url, origin: origin)) }
    static func invalidFlag(_ flag: String) -> Self { Self(code: .invalidFlag(flag)) }
    static func unknownService(_ name: String) -> Self { Self(code: .unknownService(name)) }
    static let passthroughWithoutCredentials = Self(code: .passthroughWithoutCredentials)

    public var description: String {
        switch code {
        case .invalidURL(let url, let origin):
            return "\(origin): '\(url)' is not an http:// or https:// URL with a host (e.g. http://localhost:8000)"
        case .invalidFlag(let flag):
            return "--endpoint '\(flag)' is not SERVICE=URL (e.g. --endpoint dynamodb=http://localhost:8000)"
        case .unknownService(let name):
            let known = EndpointConfiguration.services.map(\.key).joined(separator: ", ")
            return "--endpoint: unknown service '\(name)'; known services: \(known)"
        case .passthroughWithoutCredentials:
            return "--aws-passthrough calls AWS itself and needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)"
        }
    }
}
