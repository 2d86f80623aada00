import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// Answers every Task of a TestState call from its `mock` member: `result` (JSON text) or
/// `errorOutput` (`error` and `cause`).
struct MockTaskDispatcher: TaskDispatcher {
    enum Answer: Sendable {
        case result(JSONValue)
        case error(StatesError)
    }

    let answer: Answer

    init?(mock: JSONValue?) throws(AWSServiceError) {
        guard let mock else { return nil }
        if let text = mock["result"]?.stringValue {
            do {
                answer = .result(try JSONValue(parsing: text))
            } catch {
                throw .validationException("Mock result is not valid JSON: \(error.description)")
            }
        } else if let errorOutput = mock["errorOutput"] {
            answer = .error(StatesError(errorOutput["error"]?.stringValue ?? "", cause: errorOutput["cause"]?.stringValue))
        } else {
            return nil
        }
    }

    func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        switch answer {
        case .result(let value): return value
        case .error(let error): throw error
        }
    }
}
