import StepLocalEngine
import StepLocalJSON

/// DescribeMapRun: a Distributed Map's run, with its settings (as UpdateMapRun left them) and
/// how many of its items and child executions are pending, running, succeeded, failed, timed
/// out or aborted, how many results a ResultWriter wrote, and how often it was redriven (with
/// its parent). `itemCounts` count items, `executionCounts` child executions: they differ when
/// an ItemBatcher puts several items in one child, as AWS's API reference defines them.
struct DescribeMapRunAction: ActionHandler {
    static let name = "DescribeMapRun"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let run = try MapRunLookup.find(try request.required("mapRunArn"), in: request)
        let snapshot = run.snapshot()
        func json(_ counts: MapRun.Counts) -> JSONValue {
            [
                "pending": .int(counts.pending), "running": .int(counts.running), "succeeded": .int(counts.succeeded),
                "failed": .int(counts.failed), "timedOut": .int(counts.timedOut), "aborted": .int(counts.aborted),
                "total": .int(counts.total), "resultsWritten": .int(counts.resultsWritten), "failuresNotRedrivable": 0, "pendingRedrive": 0,
            ]
        }
        var answer: JSONObject = [
            "mapRunArn": .string(run.arn),
            "executionArn": .string(run.executionArn),
            "status": .string(snapshot.status.rawValue),
            "startDate": run.startDate.json,
            "maxConcurrency": .int(snapshot.settings.maxConcurrency),
            "toleratedFailurePercentage": .double(snapshot.settings.toleratedFailurePercentage ?? 0),
            "toleratedFailureCount": .int(snapshot.settings.toleratedFailureCount ?? 0),
            "itemCounts": json(snapshot.itemCounts),
            "executionCounts": json(snapshot.counts),
            "redriveCount": .int(snapshot.redriveCount),
        ]
        if let stopDate = snapshot.stopDate { answer["stopDate"] = stopDate.json }
        if let redriveDate = snapshot.redriveDate { answer["redriveDate"] = redriveDate.json }
        return .object(answer)
    }
}
