import StepLocalASL
import Testing

/// How a Task's Resource names itself in history events and which integration it calls: the one
/// reading the engine, mocks and real endpoints share. The names are those AWS records (conformance
/// corpus): resourceType `states` and resource `startExecution.sync`; `aws-sdk:s3` and `listBuckets`.
@Suite("Task resource ARNs, read once")
struct TaskResourceARNTests {
    @Test(
        "each form gives AWS's resourceType and resource, its pattern and its action",
        arguments: [
            ("arn:aws:states:::lambda:invoke", "lambda", "invoke", TaskResourceARN.Pattern.requestResponse, "invoke"),
            ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "invoke.waitForTaskToken", .waitForTaskToken, "invoke"),
            ("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution.sync:2", .sync2, "startExecution"),
            ("arn:aws:states:::states:startExecution.sync", "states", "startExecution.sync", .sync, "startExecution"),
            ("arn:aws:states:::aws-sdk:s3:listBuckets", "aws-sdk:s3", "listBuckets", .requestResponse, "listBuckets"),
            ("arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken", "aws-sdk:sqs", "sendMessage.waitForTaskToken", .waitForTaskToken, "sendMessage"),
            ("arn:aws-cn:states:::dynamodb:putItem", "dynamodb", "putItem", .requestResponse, "putItem"),
        ])
    func integrations(resource: String, type: String, name: String, pattern: TaskResourceARN.Pattern, action: String) {
        let parsed = TaskResourceARN(resource)
        #expect(parsed.kind == .integration)
        #expect(parsed.resourceType == type)
        #expect(parsed.resourceName == name)
        #expect(parsed.pattern == pattern)
        #expect(parsed.action == action)
        #expect(parsed.needsTaskToken == (pattern == .waitForTaskToken))
        #expect(parsed.isStatesResource)
    }

    @Test("a Lambda function ARN is the legacy form: LambdaFunction* events naming the whole ARN, no token")
    func legacyLambda() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:Echo:$LATEST"
        let parsed = TaskResourceARN(arn)
        #expect(parsed.isLegacyLambda && !parsed.isActivity && !parsed.needsTaskToken)
        #expect(parsed.resourceType == "lambda" && parsed.resourceName == arn && parsed.action == arn)
        #expect(!parsed.isStatesResource)
    }

    @Test("an activity waits for a worker's token and names the whole ARN")
    func activity() {
        let arn = "arn:aws:states:us-east-1:123456789012:activity:Approve"
        let parsed = TaskResourceARN(arn)
        #expect(parsed.isActivity && parsed.needsTaskToken && !parsed.isLegacyLambda)
        #expect(parsed.resourceType == "activity" && parsed.resourceName == arn)
    }

    @Test("text that is no ARN is unrecognized, named as written; an aws-sdk resource without an action has none")
    func unrecognized() {
        let parsed = TaskResourceARN("not-an-arn")
        #expect(parsed.kind == .unrecognized && parsed.resourceType == "unknown" && parsed.resourceName == "not-an-arn")
        #expect(parsed.action == nil && !parsed.needsTaskToken)
        #expect(TaskResourceARN("arn:aws:states:::aws-sdk:s3").action == nil)
    }
}
