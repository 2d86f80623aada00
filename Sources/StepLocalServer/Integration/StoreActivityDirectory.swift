import StepLocalIntegrations

/// Tells activity Task states which activities exist: those created with CreateActivity and
/// not deleted. A Task naming any other activity fails with States.Runtime, as on AWS.
struct StoreActivityDirectory: ActivityDirectory {
    let store: any ResourceStore

    func activityExists(_ activityArn: String) -> Bool {
        (try? store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in tables.activities[activityArn] != nil }) ?? false
    }
}
