/// A Task's `Resource` ARN taken apart: which service and action it calls and with which
/// integration pattern. Mocks, nested executions and activities are chosen by it.
public struct TaskResource: Sendable, Hashable {
    public enum Pattern: String, Sendable, Hashable {
        case requestResponse = ""
        case sync = ".sync"
        case sync2 = ".sync:2"
        case waitForTaskToken = ".waitForTaskToken"
    }

    /// `lambda`, `dynamodb`, `aws-sdk:s3`, `activity`, ...
    public let service: String
    /// `invoke`, `putItem`, a function or activity ARN for the legacy forms.
    public let action: String
    public let pattern: Pattern

    public init?(_ arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 7, parts[0] == "arn" else { return nil }
        if parts[2] == "lambda", parts[5] == "function" {
            service = "lambda"
            action = arn
            pattern = .requestResponse
            return
        }
        if parts[2] == "states", parts[5] == "activity" {
            service = "activity"
            action = arn
            pattern = .requestResponse
            return
        }
        guard parts[2] == "states" else { return nil }
        var rest = parts.dropFirst(6).joined(separator: ":")
        var found = Pattern.requestResponse
        for candidate in [Pattern.sync2, .sync, .waitForTaskToken] where rest.hasSuffix(candidate.rawValue) {
            rest = String(rest.dropLast(candidate.rawValue.count))
            found = candidate
            break
        }
        if parts[5] == "aws-sdk" {
            let sdk = rest.split(separator: ":", maxSplits: 1).map(String.init)
            guard sdk.count == 2 else { return nil }
            service = "aws-sdk:" + sdk[0]
            action = sdk[1]
        } else {
            service = parts[5]
            action = rest
        }
        pattern = found
    }
}
