import StepLocalJSON

/// DeleteStateMachineVersion: removes a version unless an alias still routes to it
/// (`ConflictException`, naming the aliases). Deleting a version that does not exist succeeds.
struct DeleteStateMachineVersionAction: ActionHandler {
    static let name = "DeleteStateMachineVersion"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        try await delete(try request.required("stateMachineVersionArn"), request: request)
    }

    func delete(_ arnText: String, request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try StatesARN.expect(arnText, .stateMachine)
        guard case .version(let number) = arn.qualifier else { throw .invalidArn(arnText) }
        try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            let machineArn = arn.unqualifiedStateMachineArn
            guard var record = tables.stateMachines[machineArn], record.versions[number] != nil else { return }
            let referencing = record.aliases.values.filter { alias in alias.routing.contains { $0.versionArn == arnText } }
            if !referencing.isEmpty {
                throw .conflict(
                    "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [\(referencing.map(\.name).sorted().joined(separator: ", "))]")
            }
            record.versions[number] = nil
            tables.stateMachines[machineArn] = record
            tables.tags[arnText] = nil
        }
        return [:]
    }
}
