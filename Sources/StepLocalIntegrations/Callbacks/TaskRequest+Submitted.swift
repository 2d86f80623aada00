public import StepLocalEngine
public import StepLocalJSON

extension TaskRequest {
    /// TaskSubmitted's details for this request: the resource as the engine names it (resourceType
    /// `states` and resource `startExecution.sync`; `aws-sdk:s3` and its action) and `output`, what
    /// the service answered when it accepted the call (for a mocked task, the mocked response).
    public func submittedDetails(output: JSONValue) -> JSONObject {
        let parts = resource.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let resourceType: String
        let resourceName: String
        if parts.count >= 8, parts[5] == "aws-sdk" {
            resourceType = "aws-sdk:" + parts[6]
            resourceName = parts.dropFirst(7).joined(separator: ":")
        } else {
            resourceType = parts.count > 5 ? parts[5] : "unknown"
            resourceName = parts.dropFirst(6).joined(separator: ":")
        }
        return [
            "resourceType": .string(resourceType), "resource": .string(resourceName),
            "output": .string(output.serialized()), "outputDetails": ["truncated": false],
        ]
    }
}
