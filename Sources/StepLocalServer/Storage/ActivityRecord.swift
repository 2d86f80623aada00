import StepLocalASL
import StepLocalJSON

/// An activity created with CreateActivity: a named queue that workers poll with GetActivityTask.
struct ActivityRecord: Sendable {
    var arn: String
    var name: String
    var creationDate: Timestamp
    var encryptionConfiguration: JSONValue
    var sequence: Int
}
