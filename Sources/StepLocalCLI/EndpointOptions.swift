import ArgumentParser
import Foundation
import StepLocalIntegrations

/// `--endpoint SERVICE=URL` and `--aws-passthrough`, for every command that runs workflows
/// (`serve`, `test`, `run`). It exists so they all call real services the same way: the same
/// flags, the same environment variables (`AWS_ENDPOINT_URL_<SERVICE>`, `DYNAMODB_ENDPOINT`, ...,
/// `AWS_ENDPOINT_URL`) and the same credentials, resolved by ``EndpointConfiguration``.
struct EndpointOptions: ParsableArguments {
    @Option(
        name: .customLong("endpoint"),
        help: ArgumentHelp(
            "Send this service's unmocked Task calls to URL, signed with SigV4 (repeatable), e.g. dynamodb=http://localhost:8000. Services: lambda, sqs, sns, dynamodb, ecs, batch, glue, sagemaker, stepfunctions, s3 (Distributed Map data), or an aws-sdk service. [env: LAMBDA_ENDPOINT, SQS_ENDPOINT, ..., AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL]",
            valueName: "service=url"))
    var endpoints: [String] = []

    @Flag(
        help: ArgumentHelp(
            "Send unmocked Task calls of services no --endpoint or variable names to AWS itself (https://SERVICE.REGION.amazonaws.com), signed with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. Never implicit; not tested against AWS here."
        ))
    var awsPassthrough = false

    /// Where `steplocal serve` listens unless told otherwise: an `AWS_ENDPOINT_URL` pointing
    /// there reaches StepLocal's own API (set for the SDKs), not a service, and is not used.
    static let serveDefaultAddress = (host: "127.0.0.1", port: 8083)

    /// The flags and `environment` resolved, strongest first; what resolution noted (an ignored
    /// `AWS_ENDPOINT_URL`) is printed to standard error. A bad flag or variable is a usage error.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EndpointConfiguration {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let resolved = try resolved(
            environment: environment, region: env("AWS_DEFAULT_REGION") ?? env("AWS_REGION") ?? "us-east-1",
            ownAddress: Self.serveDefaultAddress)
        for note in resolved.notes { printError("note: \(note)") }
        return resolved
    }

    /// The flags and `environment` resolved for a server in `region` listening at `ownAddress`.
    func resolved(environment: [String: String], region: String, ownAddress: (host: String, port: Int)) throws -> EndpointConfiguration {
        do {
            return try EndpointConfiguration.resolve(
                flags: endpoints, environment: environment, region: region, ownAddress: ownAddress, awsPassthrough: awsPassthrough)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
