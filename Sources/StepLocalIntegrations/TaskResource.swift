public import StepLocalASL

/// A Task's `Resource` as mocks, nested executions, activities and real endpoints choose by it:
/// which service and action it calls and with which integration pattern. Read from
/// ``TaskResourceARN``, the one reading of a resource; nil for what no dispatcher can call (a
/// resource outside `arn:...:states`, an `aws-sdk` resource without an action).
public struct TaskResource: Sendable, Hashable {
    public typealias Pattern = TaskResourceARN.Pattern

    /// `lambda`, `dynamodb`, `aws-sdk:s3`, `activity`, ...
    public let service: String
    /// `invoke`, `putItem`, a function or activity ARN for the legacy forms.
    public let action: String
    public let pattern: Pattern

    public init?(_ arn: String) {
        let resource = TaskResourceARN(arn)
        guard arn.hasPrefix("arn:"), let action = resource.action else { return nil }
        switch resource.kind {
        case .lambdaFunction, .activity: break
        case .integration: guard resource.isStatesResource else { return nil }
        case .unrecognized: return nil
        }
        service = resource.resourceType
        self.action = action
        pattern = resource.pattern
    }
}
