import StepLocalJSON

/// The DescribeStateMachine body of a revision, shared by the latest revision and versions.
extension StateMachineRevision {
    func describe(arn: String, name: String, type: String, creationDate: JSONValue, description: String?, isDeleting: Bool = false) -> JSONValue {
        var object: JSONObject = [
            "stateMachineArn": .string(arn),
            "name": .string(name),
            "status": isDeleting ? "DELETING" : "ACTIVE",
            "definition": .string(definitionText),
            "roleArn": .string(roleArn),
            "type": .string(type),
            "creationDate": creationDate,
            "loggingConfiguration": loggingConfiguration,
            "tracingConfiguration": tracingConfiguration,
            "revisionId": .string(revisionId),
            "encryptionConfiguration": encryptionConfiguration,
        ]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }

    static let defaultLogging: JSONValue = ["level": "OFF", "includeExecutionData": false]
    static let defaultTracing: JSONValue = ["enabled": false]
    static let defaultEncryption: JSONValue = ["type": "AWS_OWNED_KEY"]
}
