import StepLocalJSON

/// One API action. Each lives in its own file under `Actions/`, names itself after the
/// `X-Amz-Target` action it answers, and returns the response body; errors are thrown as
/// ``AWSServiceError`` and rendered in one place.
protocol ActionHandler: Sendable {
    static var name: String { get }
    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue
}
