import StepLocalJSON

extension JSONValue {
    /// AWS's `CloudWatchEventsExecutionDataDetails` (`inputDetails`/`outputDetails` of
    /// DescribeExecution and StartSyncExecution): whether `includedData` let the payload in. Two
    /// shared values rather than an object built for every answer.
    static func executionDataDetails(included: Bool) -> JSONValue { included ? includedData : excludedData }

    private static let includedData: JSONValue = ["included": true]
    private static let excludedData: JSONValue = ["included": false]
}
