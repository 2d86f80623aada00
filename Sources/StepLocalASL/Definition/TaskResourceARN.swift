/// A Task state's `Resource` taken apart once, the way AWS reads it, for everyone who needs a
/// part of it: the engine (which events to record and how they name the resource), mocks and real
/// endpoints (which service and action to call, with which integration pattern). It exists so
/// that there is one reading of the ARN; there used to be three, and they disagreed on edge cases.
///
/// - A Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`) is the legacy form: its
///   events are `LambdaFunction*` and name the whole ARN.
/// - An activity ARN (`arn:aws:states:REGION:ACCOUNT:activity:NAME`) records `Activity*` events and
///   always waits for a worker's token.
/// - An integration (`arn:aws:states:::SERVICE:ACTION[.sync|.sync:2|.waitForTaskToken]`, or
///   `...:aws-sdk:SERVICE:ACTION`) records `Task*` events with resourceType `SERVICE`
///   (`aws-sdk:SERVICE`) and resource `ACTION` with its pattern suffix, as AWS does.
public struct TaskResourceARN: Sendable, Hashable {
    /// How an integration waits for its work, from the resource's suffix.
    public enum Pattern: String, Sendable, Hashable {
        case requestResponse = ""
        case sync = ".sync"
        case sync2 = ".sync:2"
        case waitForTaskToken = ".waitForTaskToken"
    }

    public enum Kind: Sendable, Hashable {
        case lambdaFunction
        case activity
        case integration
        /// Not an ARN the engine can read (definition validation refuses such resources).
        case unrecognized
    }

    public let text: String
    public let kind: Kind
    /// The history events' `resourceType`: `lambda`, `activity`, `dynamodb`, `aws-sdk:s3`, `unknown`.
    public let resourceType: String
    /// The history events' `resource`: the whole ARN for a function or an activity, otherwise the
    /// action with its pattern suffix (`startExecution.sync`).
    public let resourceName: String
    public let pattern: Pattern
    /// The action without its pattern suffix (`putItem`, `listBuckets`); the whole ARN for a
    /// function or an activity. Nil for an `aws-sdk` resource that names no action.
    public let action: String?
    /// Whether `arn:aws:states` is the issuer: integrations and activities are; a Lambda function
    /// ARN and an unrecognized text are not.
    public let isStatesResource: Bool

    public init(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7 else {
            self.init(text: text, kind: .unrecognized, type: "unknown", name: text, pattern: .requestResponse, action: nil, states: false)
            return
        }
        let isStates = parts[0] == "arn" && parts[2] == "states"
        if parts[2] == "lambda", parts[5] == "function" {
            self.init(text: text, kind: .lambdaFunction, type: "lambda", name: text, pattern: .requestResponse, action: text, states: false)
            return
        }
        if parts[2] == "states", parts[5] == "activity" {
            self.init(text: text, kind: .activity, type: "activity", name: text, pattern: .requestResponse, action: text, states: isStates)
            return
        }
        let isSDK = parts[5] == "aws-sdk"
        let type = isSDK ? "aws-sdk:" + parts[6] : String(parts[5])
        let name = parts.dropFirst(isSDK ? 7 : 6).joined(separator: ":")
        var pattern = Pattern.requestResponse
        for candidate in [Pattern.sync2, .sync, .waitForTaskToken] where name.hasSuffix(candidate.rawValue) {
            pattern = candidate
            break
        }
        let action = String(name.dropLast(pattern.rawValue.count))
        self.init(
            text: text, kind: .integration, type: type, name: name, pattern: pattern, action: isSDK && parts.count < 8 ? nil : action,
            states: isStates)
    }

    private init(text: String, kind: Kind, type: String, name: String, pattern: Pattern, action: String?, states: Bool) {
        self.text = text
        self.kind = kind
        resourceType = type
        resourceName = name
        self.pattern = pattern
        self.action = action
        isStatesResource = states
    }

    /// Records `LambdaFunction*` events instead of `Task*` events.
    public var isLegacyLambda: Bool { kind == .lambdaFunction }
    /// Records `Activity*` events instead of `Task*` events.
    public var isActivity: Bool { kind == .activity }
    /// An activity, or an integration called with `.waitForTaskToken`: the task is handed a token.
    public var needsTaskToken: Bool { kind == .activity || (kind == .integration && pattern == .waitForTaskToken) }
}
