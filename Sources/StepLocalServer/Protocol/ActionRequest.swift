import StepLocalASL
import StepLocalJSON

/// One validated API call as a handler sees it: the JSON body (already checked against the
/// model, so members have the right types), the caller's region and account, and the services.
struct ActionRequest: Sendable {
    var action: String
    var input: JSONObject
    var region: String
    var accountId: String
    var services: ServerServices

    var arns: ARNFactory { ARNFactory(region: region, account: accountId) }

    func string(_ key: String) -> String? { input[key]?.stringValue }
    func bool(_ key: String) -> Bool? { input[key]?.boolValue }
    func int(_ key: String) -> Int? { input[key]?.numberValue?.intValue }
    func value(_ key: String) -> JSONValue? {
        guard let value = input[key], !value.isNull else { return nil }
        return value
    }

    /// A member the model marks required; validation has already reported it when absent.
    func required(_ key: String) throws(AWSServiceError) -> String {
        guard let value = string(key) else {
            throw .validation(["Value null at '\(key)' failed to satisfy constraint: Member must not be null"])
        }
        return value
    }

    /// Parses a JSON-text member (execution input, task output); throws `error(detail)` when it is not JSON.
    func json(_ key: String, default fallback: String = "{}", orThrow makeError: (String) -> AWSServiceError) throws(AWSServiceError) -> (text: String, value: JSONValue) {
        let text = string(key) ?? fallback
        do {
            return (text, try JSONValue(parsing: text))
        } catch {
            throw makeError(error.description)
        }
    }
}

/// Timestamps in AWS JSON 1.0 are epoch seconds as numbers.
extension Timestamp {
    var json: JSONValue { .double(secondsSince1970) }
}
