import StepLocalIntegrations
import Testing

/// Which services call a real endpoint is decided only by flags and variables, strongest first.
@Suite("Endpoint configuration")
struct EndpointConfigurationTests {
    static func resolve(_ flags: [String] = [], _ environment: [String: String] = [:]) throws -> EndpointConfiguration {
        try EndpointConfiguration.resolve(flags: flags, environment: environment, region: "eu-west-1", ownAddress: ("127.0.0.1", 8083))
    }

    @Test("Nothing configured: no service calls out, and requests would be signed with placeholder keys")
    func empty() throws {
        let configuration = try Self.resolve()
        #expect(configuration.isEmpty)
        #expect(configuration.credentials == EndpointConfiguration.placeholderCredentials)
        #expect(configuration.region == "eu-west-1")
    }

    @Test("Step Functions Local's variables name their services unchanged")
    func stepFunctionsLocalVariables() throws {
        let configuration = try Self.resolve(
            [], ["SQS_ENDPOINT": "http://localhost:4566", "STEP_FUNCTIONS_ENDPOINT": "http://localhost:8083/", "SAGE_MAKER_ENDPOINT": "https://sm.example:9443/base/"])
        #expect(configuration.endpoint(for: "sqs")?.url == "http://localhost:4566")
        #expect(configuration.endpoint(for: "sqs")?.origin == "SQS_ENDPOINT")
        #expect(configuration.endpoint(for: "states")?.port == 8083)
        let sageMaker = try #require(configuration.endpoint(for: "sagemaker"))
        #expect(sageMaker.scheme == "https" && sageMaker.host == "sm.example" && sageMaker.port == 9443 && sageMaker.basePath == "/base")
        #expect(configuration.endpoint(for: "dynamodb") == nil)
    }

    @Test("--endpoint beats AWS_ENDPOINT_URL_<SERVICE>, which beats DYNAMODB_ENDPOINT, which beats AWS_ENDPOINT_URL")
    func precedence() throws {
        var environment = ["AWS_ENDPOINT_URL": "http://global:1", "DYNAMODB_ENDPOINT": "http://sfnlocal:2"]
        #expect(try Self.resolve([], environment).endpoint(for: "dynamodb")?.host == "sfnlocal")
        #expect(try Self.resolve([], environment).endpoint(for: "lambda")?.host == "global")
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = "http://sdk:3"
        #expect(try Self.resolve([], environment).endpoint(for: "dynamodb")?.host == "sdk")
        #expect(try Self.resolve(["DynamoDB=http://flag:4"], environment).endpoint(for: "dynamodb")?.host == "flag")
        #expect(try Self.resolve(["stepfunctions=http://flag:5"], environment).endpoint(for: "states")?.host == "flag")
    }

    @Test("AWS_ENDPOINT_URL pointing at StepLocal itself is not used for Task calls, and says so")
    func globalEndpointAtItself() throws {
        let configuration = try Self.resolve([], ["AWS_ENDPOINT_URL": "http://localhost:8083"])
        #expect(configuration.isEmpty)
        #expect(configuration.notes.count == 1)
    }

    @Test("Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN")
    func credentials() throws {
        let configuration = try Self.resolve(
            [], ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token"])
        #expect(configuration.credentials == SigV4Signer.Credentials(accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "token"))
    }

    @Test("A bad setting is refused with its origin and an example")
    func errors() {
        #expect(throws: EndpointConfigurationError.self) { try Self.resolve(["dynamodb"]) }
        #expect(throws: EndpointConfigurationError.self) { try Self.resolve(["s4=http://x"]) }
        #expect(throws: EndpointConfigurationError.self) { try Self.resolve(["sqs=localhost:9324"]) }
        do {
            _ = try Self.resolve([], ["SQS_ENDPOINT": "ftp://x"])
            Issue.record("expected an error")
        } catch let error as EndpointConfigurationError {
            #expect(error.description.hasPrefix("SQS_ENDPOINT: 'ftp://x' is not an http:// or https:// URL"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("--aws-passthrough: AWS's own host in the call's region for every service nothing else names, never without it")
    func awsPassthrough() throws {
        let keys = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "SQS_ENDPOINT": "http://localhost:9324"]
        let plain = try EndpointConfiguration.resolve(flags: [], environment: keys, region: "eu-west-1")
        #expect(plain.endpoint(for: "dynamodb", region: "us-west-2") == nil)
        let passthrough = try EndpointConfiguration.resolve(flags: [], environment: keys, region: "eu-west-1", awsPassthrough: true)
        #expect(!passthrough.isEmpty)
        #expect(passthrough.endpoint(for: "sqs", region: "us-west-2")?.url == "http://localhost:9324")
        #expect(passthrough.endpoint(for: "dynamodb", region: "us-west-2")?.url == "https://dynamodb.us-west-2.amazonaws.com")
        #expect(passthrough.endpoint(for: "dynamodb")?.url == "https://dynamodb.eu-west-1.amazonaws.com")
        #expect(passthrough.endpoint(for: "sagemaker", region: "us-east-1")?.url == "https://api.sagemaker.us-east-1.amazonaws.com")
        #expect(passthrough.endpoint(for: "secretsmanager", region: "cn-north-1")?.url == "https://secretsmanager.cn-north-1.amazonaws.com.cn")
        #expect(passthrough.endpoint(for: "dynamodb")?.port == 443)
        let refused = #expect(throws: EndpointConfigurationError.self) {
            try EndpointConfiguration.resolve(flags: [], environment: [:], region: "eu-west-1", awsPassthrough: true)
        }
        #expect(refused?.description.hasPrefix("--aws-passthrough calls AWS itself and needs AWS_ACCESS_KEY_ID") == true)
    }
}
