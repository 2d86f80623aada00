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
        let scope = "Executions|\(arn)|\(status ?? "")|\(redriveFilter ?? "")"
        let now = request.services.now()
        let before = try request.string("nextToken").map { (token: String) throws(AWSServiceError) in
            try PageToken.decodeInt(token, scope: scope, now: now)
        }
        let limit = PageToken.pageSize(request)
        let (page, more) = try request.services.store.transaction {
            (tables: inout ResourceTables) throws(AWSServiceError) -> ([(ExecutionRecord, ExecutionSnapshot)], Bool) in
            let resolved = try tables.stateMachine(arn)
            guard resolved.record.type == .standard else {
                throw .stateMachineTypeNotSupported("This operation is not supported by this type of state machine")
            }
            // Newest first from the listing's index: a page costs O(log n + the entries walked).
            var page: [(ExecutionRecord, ExecutionSnapshot)] = []
            let listing = resolved.version?.arn ?? resolved.alias?.arn ?? resolved.record.arn
            let found = tables.executionIndex.newestFirst(listing, before: before, limit: limit) { entry in
                guard let record = tables.executions[entry.arn], record.sequence == entry.sequence else { return false }
                let snapshot = record.execution.summary()
                guard status == nil || snapshot.status.rawValue == status,
                    redriveFilter == nil || (redriveFilter == "REDRIVEN") == (snapshot.identity.redriveCount > 0)
                else { return false }
                if page.count < limit { page.append((record, snapshot)) }
                return true
            }
            return (page, found.more)
        }
        let nextToken = more ? page.last.map { PageToken.encode(position: String($0.0.sequence), scope: scope, issuedAt: now) } : nil
        return PageToken.answer(page: (page, nextToken), key: "executions") { (record: ExecutionRecord, snapshot: ExecutionSnapshot) in
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
        // Children are only ever appended: newest first is decreasing index, and the index is the
        // position. Only the page's children are described (a run can have 100,000 of them).
        let children = run.children
        var indices = Array(children.indices.reversed())
        if let status { indices.removeAll { children[$0].status.rawValue != status } }
        let scope = "Executions|\(run.arn)|\(status ?? "")"
        return try PageToken.answer(indices, position: { -$0 }, key: "executions", request: request, scope: scope) { index in
            let snapshot = children[index].summary()
            var item: JSONObject = [
                "executionArn": .string(snapshot.identity.executionArn),
                "stateMachineArn": .string(snapshot.identity.stateMachineArn),
                "name": .string(snapshot.identity.name),
                "status": .string(snapshot.status.rawValue),
                "startDate": snapshot.identity.startTime.json,
                "mapRunArn": .string(run.arn),
                // "The total number of items processed in a child workflow execution" (its batch's size).
                "itemCount": .int(run.itemCount(ofChild: index)),
                "redriveCount": 0,
            ]
            if let stopDate = snapshot.stopDate { item["stopDate"] = stopDate.json }
            return .object(item)
        }
    }
}
