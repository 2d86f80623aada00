/// Which activities exist. The server answers from its activity table; without one (the test
/// runner, `steplocal run`) every activity exists. An activity Task whose ARN is unknown fails
/// with States.Runtime before anything is scheduled, as on AWS.
public protocol ActivityDirectory: Sendable {
    func activityExists(_ activityArn: String) -> Bool
}

/// The directory used when no server keeps activities: every ARN is taken as existing.
public struct AnyActivityExists: ActivityDirectory {
    public init() {}
    public func activityExists(_ activityArn: String) -> Bool { true }
}
