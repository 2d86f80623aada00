import StepLocalASL
import StepLocalJSON

/// SNS's optimized integration (`arn:aws:states:::sns:publish`, also `.waitForTaskToken`): the
/// query protocol, a form-encoded `Action=Publish&Version=2010-03-31&...` body on `POST /`,
/// answered in XML. A `Message` that is not a string is sent as its JSON text; a
/// `MessageAttributes` map becomes `MessageAttributes.entry.N.*`. The result is `{MessageId,
/// (SequenceNumber,) SdkHttpMetadata, SdkResponseMetadata}`; an `<ErrorResponse>` names the error
/// (`NotFound` → `SNS.NotFoundException`).
enum SNSCalls {
    static func publish(parameters: JSONValue, region: String) -> ServiceCall {
        var form: [(String, String)] = [("Action", "Publish"), ("Version", "2010-03-31")]
        for (key, value) in parameters.objectValue ?? [:] {
            switch key {
            case "MessageAttributes":
                var index = 0
                for (name, attribute) in value.objectValue ?? [:] {
                    index += 1
                    form.append(("MessageAttributes.entry.\(index).Name", name))
                    for (field, fieldValue) in attribute.objectValue ?? [:] {
                        form.append(("MessageAttributes.entry.\(index).Value.\(field)", fieldValue.stringValue ?? fieldValue.serialized()))
                    }
                }
            default:
                if value.isNull { continue }
                form.append((key, value.stringValue ?? value.serialized()))
            }
        }
        let body = form.map { SigV4Signer.uriEncode($0.0) + "=" + SigV4Signer.uriEncode($0.1) }.joined(separator: "&")
        return ServiceCall(
            service: "sns", signingName: "sns", region: region,
            request: ServiceHTTPRequest(
                method: "POST", path: "/", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Array(body.utf8)),
            reader: .awsQuery(.sns, action: "Publish", resultFields: ["MessageId", "SequenceNumber"]))
    }

    static func result(_ response: ServiceHTTPResponse, names: ServiceErrorNames, action: String, resultFields: [String]) throws(StatesError) -> JSONValue {
        let values = XMLFields.read(response.body)
        guard (200..<300).contains(response.status) else {
            guard let code = values["Code"] else { throw names.unreadable(response) }
            throw names.error(
                code: code, message: values["Message"] ?? "", status: response.status,
                requestId: values["RequestId"] ?? ServiceErrorNames.requestId(response))
        }
        var fields: JSONObject = [:]
        for field in resultFields { if let value = values[field] { fields[field] = .string(value) } }
        guard !fields.isEmpty else { throw names.unreadable(response) }
        return .object(ServiceCall.withSDKMetadata(fields, response, requestId: values["RequestId"]))
    }
}
