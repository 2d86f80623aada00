import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// Paths into the repository's `mocks/` folder and a one-call way to run a definition with a
/// dispatcher on a virtual clock.
enum MockConfigFixtures {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    static func run(definitionAt relative: String, input: JSONValue = [:], dispatcher: any TaskDispatcher) async throws -> ExecutionSnapshot {
        let text = try String(contentsOfFile: path(relative), encoding: .utf8)
        let definition = try StateMachineDefinition.load(text)
        let clock = VirtualClock()
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:test",
            name: "test", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration",
            stateMachineName: "LambdaSQSIntegration", roleArn: "arn:aws:iam::123456789012:role/R", startTime: clock.now())
        return await ExecutionEngine(clock: clock, dispatcher: dispatcher).run(definition, input: input, identity: identity)
    }

    static func request(_ state: String, execution: String = "arn:aws:states:us-east-1:123456789012:execution:M:e1", resource: String = "arn:aws:states:::lambda:invoke") -> TaskRequest {
        TaskRequest(
            stateName: state, resource: resource, parameters: [:], taskToken: nil, timeoutSeconds: nil, heartbeatSeconds: nil,
            executionArn: execution, stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", attempt: 0, context: [:])
    }
}
