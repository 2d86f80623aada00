import StepLocalJSON

/// DescribeMapRun: map runs come from Distributed Map states, which StepLocal's engine does not
/// run as child workflows yet, so no map run exists: `ResourceNotFound`, as AWS answers for an
/// unknown map run ARN.
struct DescribeMapRunAction: ActionHandler {
    static let name = "DescribeMapRun"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("mapRunArn")
        _ = try StatesARN.expect(arn, .mapRun)
        throw .resourceNotFound("Resource not found: '\(arn)'", resourceName: arn)
    }
}
