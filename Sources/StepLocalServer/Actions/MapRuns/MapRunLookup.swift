import StepLocalEngine
import StepLocalJSON

/// Finds map runs for the Map Run actions: every map run belongs to the execution whose
/// Distributed Map state started it, so the executions' own lists are the only index.
enum MapRunLookup {
    /// The map run with this ARN, or AWS's `ResourceNotFound` (`InvalidArn` for a malformed ARN).
    static func find(_ arn: String, in request: ActionRequest) throws(AWSServiceError) -> MapRun {
        try findWithParent(arn, in: request).run
    }

    /// The map run with this ARN and the execution whose Distributed Map started it.
    static func findWithParent(_ arn: String, in request: ActionRequest) throws(AWSServiceError) -> (run: MapRun, parent: Execution) {
        _ = try StatesARN.expect(arn, .mapRun)
        let executions = try request.services.store.transaction { (tables: inout ResourceTables) in
            tables.executions.values.map(\.execution)
        }
        for execution in executions {
            if let run = execution.mapRuns.first(where: { $0.arn == arn }) { return (run, execution) }
        }
        throw .resourceNotFound("Resource not found: '\(arn)'", resourceName: arn)
    }
}
