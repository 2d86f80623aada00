import StepLocalJSON

/// UpdateMapRun: no map run exists yet (see ``DescribeMapRunAction``), so `ResourceNotFound`.
struct UpdateMapRunAction: ActionHandler {
    static let name = "UpdateMapRun"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("mapRunArn")
        _ = try StatesARN.expect(arn, .mapRun)
        if request.value("maxConcurrency") == nil && request.value("toleratedFailurePercentage") == nil
            && request.value("toleratedFailureCount") == nil
        {
            throw .validationException(
                "Must specify at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount",
                reason: "MISSING_REQUIRED_PARAMETER")
        }
        throw .resourceNotFound("Resource not found: '\(arn)'", resourceName: arn)
    }
}
