/// Which Task `Resource` ARNs a definition may name, as AWS checks them at creation: Lambda
/// function and activity ARNs, the optimized integrations (`arn:aws:states:::service:action`
/// with `.sync` / `.waitForTaskToken` where the service supports them) and `aws-sdk:*`.
enum ResourceValidation {
    /// Optimized integrations and the patterns each supports ("" = request-response).
    static let integrations: [String: Set<String>] = [
        "lambda:invoke": ["", ".waitForTaskToken"],
        "dynamodb:getItem": [""], "dynamodb:putItem": [""], "dynamodb:updateItem": [""], "dynamodb:deleteItem": [""],
        "sns:publish": ["", ".waitForTaskToken"],
        "sqs:sendMessage": ["", ".waitForTaskToken"],
        "ecs:runTask": ["", ".sync", ".waitForTaskToken"],
        "states:startExecution": ["", ".sync", ".sync:2", ".waitForTaskToken"],
        "events:putEvents": ["", ".waitForTaskToken"],
        "glue:startJobRun": ["", ".sync"],
        "batch:submitJob": ["", ".sync"],
        "apigateway:invoke": ["", ".waitForTaskToken"],
        "http:invoke": [""],
        "bedrock:invokeModel": [""],
        "codebuild:startBuild": ["", ".sync"],
        "athena:startQueryExecution": ["", ".sync"],
        "eks:runJob": ["", ".sync"],
        "emr-serverless:startJobRun": ["", ".sync"],
        "sagemaker:createTrainingJob": ["", ".sync"],
        "s3:getObject": [""], "s3:putObject": [""],
    ]

    static func problem(_ resource: String, type: StateMachineType) -> String? {
        if resource.hasPrefix("{%") { return nil }
        let parts = resource.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 6, parts[0] == "arn", parts[1].hasPrefix("aws") else { return notRecognized(resource) }
        if parts[2] == "lambda", parts[5] == "function" { return nil }
        guard parts[2] == "states" else { return notRecognized(resource) }
        if parts[5] == "activity" { return nil }
        guard parts[3].isEmpty, parts[4].isEmpty, parts.count == 7 else { return notRecognized(resource) }
        let serviceAction = parts[5] + ":" + parts[6]
        var base = serviceAction
        var pattern = ""
        for suffix in [".sync:2", ".sync", ".waitForTaskToken"] where serviceAction.hasSuffix(suffix) {
            base = String(serviceAction.dropLast(suffix.count))
            pattern = suffix
            break
        }
        if type == .express, pattern.hasPrefix(".sync") {
            return "Express state machine does not support '.sync' service integration"
        }
        if type == .express, pattern == ".waitForTaskToken" {
            return "Express state machine does not support '.waitForTaskToken' service integration "
        }
        if base.hasPrefix("aws-sdk:") { return nil }
        guard let patterns = integrations[base], patterns.contains(pattern) else { return notRecognized(resource) }
        return nil
    }

    private static func notRecognized(_ resource: String) -> String {
        "The resource provided \(resource) is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
    }
}
