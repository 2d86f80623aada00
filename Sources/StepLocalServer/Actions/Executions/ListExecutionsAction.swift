import StepLocalEngine
import StepLocalJSON

/// ListExecutions: the executions of a state machine (or of one version or alias of it),
/// newest first, filtered by status and paged. EXPRESS machines are
/// `StateMachineTypeNotSupported`, as AWS keeps no record of their executions. With a
/// `mapRunArn`, the child executions of that Distributed Map run.
struct ListExecutionsAction: ActionHandler {
    static let name = "ListExecutions"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let status = request.string("statusFilter")
        let redriveFilter = request.string("redriveFilter")
        if let mapRunArn = request.string("mapRunArn") {
            if request.string("stateMachineArn") != nil {
                throw .validationException("Only one of stateMachineArn or mapRunArn can be specified")
            }
            return try mapRunChildren(MapRunLookup.find(mapRunArn, in: request), request: request, status: status)
        }
        guard let arn = request.string("stateMachineArn") else {
            throw .validationException("Must specify either stateMachineArn or mapRunArn", reason: "MISSING_REQUIRED_PARAMETER")
        }
        let records = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> [ExecutionRecord] in
            let resolved = try tables.stateMachine(arn)
            guard resolved.record.type == .standard else {
                throw .stateMachineTypeNotSupported("This operation is not supported by this type of state machine")
            }
            return tables.executions.values.filter { record in
                guard record.stateMachineArn == resolved.record.arn else { return false }
                if let version = resolved.version { return record.stateMachineVersionArn == version.arn }
                if let alias = resolved.alias { return record.stateMachineAliasArn == alias.arn }
                return true
            }
        }
        let snapshots = records.sorted { $0.sequence > $1.sequence }
            .map { ($0, $0.execution.snapshot()) }
            .filter { status == nil || $0.1.status.rawValue == status }
            .filter { redriveFilter == nil || (redriveFilter == "REDRIVEN") == ($0.1.identity.redriveCount > 0) }
        let scope = "Executions|\(arn)|\(status ?? "")|\(redriveFilter ?? "")"
        return try PageToken.answer(snapshots, key: "executions", request: request, scope: scope) { record, snapshot in
            var item: JSONObject = [
                "executionArn": .string(record.arn),
                "stateMachineArn": .string(record.stateMachineArn),
                "name": .string(record.name),
                "status": .string(snapshot.status.rawValue),
                "startDate": record.startDate.json,
            ]
            if let stopDate = snapshot.stopDate { item["stopDate"] = stopDate.json }
            item["redriveCount"] = .int(snapshot.identity.redriveCount)
            if let redriveDate = snapshot.redriveDate { item["redriveDate"] = redriveDate.json }
            if let version = record.stateMachineVersionArn { item["stateMachineVersionArn"] = .string(version) }
            if let alias = record.stateMachineAliasArn { item["stateMachineAliasArn"] = .string(alias) }
            return .object(item)
        }
    }

    /// ListExecutions by `mapRunArn`: the run's child executions, newest first like the rest.
    private func mapRunChildren(_ run: MapRun, request: ActionRequest, status: String?) throws(AWSServiceError) -> JSONValue {
        let snapshots = run.children.reversed().map { $0.snapshot() }.filter { status == nil || $0.status.rawValue == status }
        return try PageToken.answer(snapshots, key: "executions", request: request, scope: "Executions|\(run.arn)|\(status ?? "")") { snapshot in
            var item: JSONObject = [
                "executionArn": .string(snapshot.identity.executionArn),
                "stateMachineArn": .string(snapshot.identity.stateMachineArn),
                "name": .string(snapshot.identity.name),
                "status": .string(snapshot.status.rawValue),
                "startDate": snapshot.identity.startTime.json,
                "mapRunArn": .string(run.arn),
                "redriveCount": 0,
            ]
            if let stopDate = snapshot.stopDate { item["stopDate"] = stopDate.json }
            return .object(item)
        }
    }
}
