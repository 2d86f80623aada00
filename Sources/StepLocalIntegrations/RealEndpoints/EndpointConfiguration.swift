import Foundation

/// Which services' Task calls go to a real endpoint, where, and with which credentials. It
/// exists so that calling a real service is always an explicit choice: a service appears here
/// only when a flag or a variable named it, and everything else keeps failing loudly as an
/// unmocked Task. The CLI resolves it once, from (strongest first):
///
/// 1. `steplocal serve --endpoint SERVICE=URL` (repeatable);
/// 2. the AWS SDKs' `AWS_ENDPOINT_URL_<SERVICE>` (e.g. `AWS_ENDPOINT_URL_DYNAMODB`);
/// 3. Step Functions Local's own variables, unchanged (`LAMBDA_ENDPOINT`, `SQS_ENDPOINT`, ...);
/// 4. the SDKs' `AWS_ENDPOINT_URL`, for every service StepLocal can call, unless it points at
///    StepLocal itself (SDK users often set it to reach StepLocal: forwarding there would loop).
///
/// 5. with `--aws-passthrough` only: AWS itself (`https://dynamodb.REGION.amazonaws.com`), for
///    every service nothing above names. Never implicit, and it needs real credentials.
///
/// Credentials come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`;
/// without them requests are signed with placeholder keys, which local emulators accept.
public struct EndpointConfiguration: Sendable, Equatable {
    /// One service's endpoint, taken apart once.
    public struct Endpoint: Sendable, Equatable {
        /// As configured, for messages.
        public var url: String
        public var scheme: String
        public var host: String
        public var port: Int
        /// Prefixed to every request path ("" for a bare host).
        public var basePath: String
        /// Where it was configured (`--endpoint`, `SQS_ENDPOINT`, ...), for messages.
        public var origin: String

        /// The `Host` header: the port is left out when it is the scheme's default, as SDKs do.
        public var hostHeader: String {
            (scheme == "http" && port == 80) || (scheme == "https" && port == 443) ? host : "\(host):\(port)"
        }

        public init(url: String, origin: String) throws(EndpointConfigurationError) {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
                let host = components.host, !host.isEmpty
            else {
                throw .invalidURL(url, origin: origin)
            }
            self.url = url
            self.scheme = scheme
            self.host = host
            self.port = components.port ?? (scheme == "https" ? 443 : 80)
            var path = components.percentEncodedPath
            while path.hasSuffix("/") { path.removeLast() }
            self.basePath = path
            self.origin = origin
        }
    }

    /// The services StepLocal can name, keyed as Task resources name them (`states` is Step
    /// Functions), with the spellings accepted after `--endpoint` and the variables that set them.
    public struct Service: Sendable {
        public var key: String
        public var aliases: [String]
        /// Step Functions Local's variable (S3 has none).
        public var stepFunctionsLocalVariable: String?
        /// The SDKs' service id, as in `AWS_ENDPOINT_URL_<ID>`.
        public var sdkIdentifier: String
    }

    public static let services: [Service] = [
        Service(key: "lambda", aliases: [], stepFunctionsLocalVariable: "LAMBDA_ENDPOINT", sdkIdentifier: "LAMBDA"),
        Service(key: "sqs", aliases: [], stepFunctionsLocalVariable: "SQS_ENDPOINT", sdkIdentifier: "SQS"),
        Service(key: "sns", aliases: [], stepFunctionsLocalVariable: "SNS_ENDPOINT", sdkIdentifier: "SNS"),
        Service(key: "dynamodb", aliases: [], stepFunctionsLocalVariable: "DYNAMODB_ENDPOINT", sdkIdentifier: "DYNAMODB"),
        Service(key: "ecs", aliases: [], stepFunctionsLocalVariable: "ECS_ENDPOINT", sdkIdentifier: "ECS"),
        Service(key: "batch", aliases: [], stepFunctionsLocalVariable: "BATCH_ENDPOINT", sdkIdentifier: "BATCH"),
        Service(key: "glue", aliases: [], stepFunctionsLocalVariable: "GLUE_ENDPOINT", sdkIdentifier: "GLUE"),
        Service(key: "sagemaker", aliases: ["sage-maker", "sage_maker"], stepFunctionsLocalVariable: "SAGE_MAKER_ENDPOINT", sdkIdentifier: "SAGEMAKER"),
        Service(key: "states", aliases: ["stepfunctions", "step-functions", "sfn"], stepFunctionsLocalVariable: "STEP_FUNCTIONS_ENDPOINT", sdkIdentifier: "SFN"),
        // Where a Distributed Map's ItemReader reads and its ResultWriter writes, after --s3-dir.
        Service(key: "s3", aliases: [], stepFunctionsLocalVariable: nil, sdkIdentifier: "S3"),
    ]

    /// The endpoint per service key.
    public private(set) var endpoints: [String: Endpoint]
    public var credentials: SigV4Signer.Credentials
    /// Used when neither the resource ARN nor a parameter's ARN names a region.
    public var region: String
    /// What resolution decided that a user should hear about (an ignored `AWS_ENDPOINT_URL`).
    public var notes: [String] = []

    /// Placeholder keys for endpoints that want a signature but check none (moto, DynamoDB Local).
    public static let placeholderCredentials = SigV4Signer.Credentials(accessKeyId: "steplocal", secretAccessKey: "steplocal")

    public init(endpoints: [String: Endpoint] = [:], credentials: SigV4Signer.Credentials = placeholderCredentials, region: String = "us-east-1") {
        self.endpoints = endpoints
        self.credentials = credentials
        self.region = region
    }

    /// No service is configured: nothing is ever called.
    public var isEmpty: Bool { endpoints.isEmpty && defaultEndpoint == nil && !awsPassthrough }

    /// `--aws-passthrough`: a service no setting names is called at AWS itself, in the call's region.
    public var awsPassthrough = false

    /// The endpoint for a service key: an optimized integration's (`dynamodb`), or an aws-sdk
    /// service's by its SDK name (`secretsmanager`; `aws-sdk:dynamodb` shares `dynamodb`'s).
    /// A global `AWS_ENDPOINT_URL` serves every service no other setting names; after it, with
    /// `--aws-passthrough`, AWS's own endpoint for `region` (the server's when not given).
    public func endpoint(for service: String, region: String? = nil) -> Endpoint? {
        if let configured = endpoints[service] ?? defaultEndpoint { return configured }
        guard awsPassthrough else { return nil }
        return Self.awsEndpoint(service: service, region: region ?? self.region)
    }

    /// AWS's public endpoint for a service key in `region` (the partition's domain from the
    /// region's prefix), or nil for a service StepLocal cannot name a host for.
    public static func awsEndpoint(service: String, region: String) -> Endpoint? {
        let prefix: String
        switch service {
        case "sagemaker": prefix = "api.sagemaker"
        case _ where services.contains(where: { $0.key == service }): prefix = service
        default:
            guard let sdk = SDKOperationTables.service(service) else { return nil }
            prefix = sdk.endpointPrefix
        }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return try? Endpoint(url: "https://\(prefix).\(region).\(domain)", origin: "--aws-passthrough")
    }

    /// `AWS_ENDPOINT_URL`, for any service without an endpoint of its own.
    public var defaultEndpoint: Endpoint?

    /// This configuration with `own` endpoints in place of its own for the same services (a
    /// scenario's `endpoints:` over the command line's); everything else is kept.
    public func overlaid(with own: [String: Endpoint]) -> EndpointConfiguration {
        var overlaid = self
        overlaid.endpoints.merge(own) { _, own in own }
        return overlaid
    }

    /// The service key `name` stands for (`DynamoDB`, `stepfunctions`, `sfn`, or any aws-sdk
    /// JSON-protocol service such as `secretsmanager`), if any.
    public static func serviceKey(_ name: String) -> String? {
        let lower = name.lowercased()
        if let known = services.first(where: { $0.key == lower || $0.aliases.contains(lower) })?.key { return known }
        return SDKOperationTables.hasService(lower) ? lower : nil
    }

    /// The usual AWS credentials from `environment`, or the placeholder keys when they are not set.
    public static func credentials(environment: [String: String]) -> SigV4Signer.Credentials {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        guard let id = env("AWS_ACCESS_KEY_ID"), let secret = env("AWS_SECRET_ACCESS_KEY") else { return placeholderCredentials }
        return SigV4Signer.Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN"))
    }

    /// Resolves flags and the environment, strongest first (see the type's documentation).
    /// - Parameters:
    ///   - flags: the `--endpoint` values, each `SERVICE=URL`.
    ///   - ownAddress: where StepLocal itself listens; a global `AWS_ENDPOINT_URL` pointing there is ignored.
    ///   - awsPassthrough: `--aws-passthrough`; refused without `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    public static func resolve(
        flags: [String], environment: [String: String], region: String, ownAddress: (host: String, port: Int)? = nil,
        awsPassthrough: Bool = false
    ) throws(EndpointConfigurationError) -> EndpointConfiguration {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var endpoints: [String: Endpoint] = [:]
        var defaultEndpoint: Endpoint?
        var notes: [String] = []
        if let global = env("AWS_ENDPOINT_URL") {
            let endpoint = try Endpoint(url: global, origin: "AWS_ENDPOINT_URL")
            if let ownAddress, endpoint.port == ownAddress.port, isLoopbackOrSame(endpoint.host, as: ownAddress.host) {
                notes.append("AWS_ENDPOINT_URL (\(global)) points at StepLocal itself: not used for Task calls")
            } else {
                for service in services { endpoints[service.key] = endpoint }
                defaultEndpoint = endpoint
            }
        }
        for service in services {
            if let variable = service.stepFunctionsLocalVariable, let url = env(variable) {
                endpoints[service.key] = try Endpoint(url: url, origin: variable)
            }
        }
        for service in services {
            let name = "AWS_ENDPOINT_URL_" + service.sdkIdentifier
            if let url = env(name) { endpoints[service.key] = try Endpoint(url: url, origin: name) }
        }
        for (service, identifier) in SDKOperationTables.environmentNames where endpoints[service] == nil {
            let name = "AWS_ENDPOINT_URL_" + identifier
            if let url = env(name) { endpoints[service] = try Endpoint(url: url, origin: name) }
        }
        for flag in flags {
            guard let equals = flag.firstIndex(of: "="), equals != flag.startIndex else { throw .invalidFlag(flag) }
            let name = String(flag[..<equals])
            guard let key = serviceKey(name) else { throw .unknownService(name) }
            endpoints[key] = try Endpoint(url: String(flag[flag.index(after: equals)...]), origin: "--endpoint")
        }
        let credentials = credentials(environment: environment)
        if awsPassthrough, credentials == placeholderCredentials { throw .passthroughWithoutCredentials }
        var configuration = EndpointConfiguration(endpoints: endpoints, credentials: credentials, region: region)
        configuration.defaultEndpoint = defaultEndpoint
        configuration.awsPassthrough = awsPassthrough
        configuration.notes = notes
        return configuration
    }

    private static func isLoopbackOrSame(_ host: String, as own: String) -> Bool {
        let loopback: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"]
        let host = host.lowercased()
        let own = own.lowercased()
        return host == own || (loopback.contains(host) && (loopback.contains(own) || own.isEmpty))
    }
}
