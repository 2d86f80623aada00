import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

extension TaskRequest {
    /// TaskSubmitted's details for this request: the resource as the engine names it (resourceType
    /// `states` and resource `startExecution.sync`; `aws-sdk:s3` and its action) and `output`, what
    /// the service answered when it accepted the call (for a mocked task, the mocked response).
    public func submittedDetails(output: JSONValue) -> JSONObject {
        let named = TaskResourceARN(resource)
        let resourceType = named.resourceType
        let resourceName = named.resourceName
        return [
            "resourceType": .string(resourceType), "resource": .string(resourceName),
            "output": .string(output.serialized()), "outputDetails": ["truncated": false],
        ]
    }
}
