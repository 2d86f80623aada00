import StepLocalJSON

/// DescribeActivity: name, ARN, creation date and encryption of an activity.
struct DescribeActivityAction: ActionHandler {
    static let name = "DescribeActivity"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("activityArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.activity(arn)
        }
        return [
            "activityArn": .string(record.arn), "name": .string(record.name), "creationDate": record.creationDate.json,
            "encryptionConfiguration": record.encryptionConfiguration,
        ]
    }
}
