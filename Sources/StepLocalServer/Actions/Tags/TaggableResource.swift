/// Which ARNs can carry tags (state machines, their versions and aliases, activities) and
/// whether the one named exists, answering `ResourceNotFound` as AWS does.
enum TaggableResource {
    static func checkExists(_ arnText: String, in tables: ResourceTables) throws(AWSServiceError) {
        let arn = try StatesARN.expect(arnText, .stateMachine, .activity)
        let found: Bool
        switch arn.resourceType {
        case .activity:
            found = tables.activities[arnText] != nil
        default:
            let record = tables.stateMachines[arn.unqualifiedStateMachineArn]
            switch arn.qualifier {
            case nil: found = record != nil && arn.components.count == 1
            case .version(let number): found = record?.versions[number] != nil
            case .alias(let name): found = record?.aliases[name] != nil
            }
        }
        guard found else { throw .resourceNotFound("Resource not found: '\(arnText)'", resourceName: arnText) }
    }
}
