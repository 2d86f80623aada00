import StepLocalEngine
import StepLocalJSON

/// UpdateMapRun: changes a running map run's concurrency and failure tolerance. A raised
/// concurrency starts waiting children at once; new tolerances apply to the failures counted
/// from then on. A finished run cannot be changed. With `--data-dir` the change is in the file
/// before the call answers.
struct UpdateMapRunAction: ActionHandler {
    static let name = "UpdateMapRun"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("mapRunArn")
        _ = try StatesARN.expect(arn, .mapRun)
        let maxConcurrency = request.int("maxConcurrency")
        let percentage = request.value("toleratedFailurePercentage")?.numberValue?.doubleValue
        let count = request.int("toleratedFailureCount")
        if maxConcurrency == nil && percentage == nil && count == nil {
            throw .validationException(
                "Must specify at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount",
                reason: "MISSING_REQUIRED_PARAMETER")
        }
        let (run, parent) = try MapRunLookup.findWithParent(arn, in: request)
        let status = run.snapshot().status
        guard status == .running else {
            throw .validationException("Map Run '\(arn)' is \(status.rawValue) and can no longer be updated")
        }
        run.update(maxConcurrency: maxConcurrency, toleratedFailurePercentage: percentage, toleratedFailureCount: count)
        // Answered once the change is durable (`--data-dir`): a restart continues the run with it.
        try request.services.store.commitProgress(of: parent)
        return [:]
    }
}
