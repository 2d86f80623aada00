import StepLocalASL
import StepLocalJSON

/// Lambda's optimized integration (`arn:aws:states:::lambda:invoke`, also `.waitForTaskToken`)
/// and the legacy resource (a function ARN as the Task's `Resource`): Lambda's REST `Invoke`,
/// `POST /2015-03-31/functions/<FunctionName>/invocations`, which `sam local start-lambda` also
/// serves. The optimized result is `{ExecutedVersion, Payload, SdkHttpMetadata,
/// SdkResponseMetadata, StatusCode}` with the payload parsed as JSON; the legacy result is the
/// payload alone. A function error (`X-Amz-Function-Error`) fails the task with the payload's
/// `errorType` as the error and the payload's text as the cause, as AWS does
/// (`error_handling/test_task_service_lambda.py::test_raise_custom_exception` in the corpus).
enum LambdaCalls {
    static func invoke(parameters: JSONValue, region: String, stateName: String) throws(StatesError) -> ServiceCall {
        guard let function = parameters["FunctionName"]?.stringValue, !function.isEmpty else {
            throw StatesError.runtime(
                "An error occurred while executing the state '\(stateName)'. The field 'FunctionName' is required by lambda:invoke.")
        }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let type = parameters["InvocationType"]?.stringValue { headers.append(("X-Amz-Invocation-Type", type)) }
        if let log = parameters["LogType"]?.stringValue { headers.append(("X-Amz-Log-Type", log)) }
        if let context = parameters["ClientContext"]?.stringValue { headers.append(("X-Amz-Client-Context", context)) }
        let query = parameters["Qualifier"]?.stringValue.map { [("Qualifier", $0)] } ?? []
        let payload = parameters["Payload"].map { Array($0.serialized().utf8) } ?? []
        return ServiceCall(
            service: "lambda", signingName: "lambda", region: region,
            request: ServiceHTTPRequest(
                method: "POST", path: "/2015-03-31/functions/\(SigV4Signer.uriEncode(function))/invocations", query: query,
                headers: headers, body: payload),
            reader: .lambdaInvoke(legacy: false))
    }

    /// The legacy resource: the effective input is the payload, the function is the resource.
    static func legacyInvoke(functionArn: String, payload: JSONValue, region: String) -> ServiceCall {
        ServiceCall(
            service: "lambda", signingName: "lambda", region: region,
            request: ServiceHTTPRequest(
                method: "POST", path: "/2015-03-31/functions/\(SigV4Signer.uriEncode(functionArn))/invocations",
                headers: [("Content-Type", "application/json")], body: Array(payload.serialized().utf8)),
            reader: .lambdaInvoke(legacy: true))
    }

    static func result(_ response: ServiceHTTPResponse, legacy: Bool) throws(StatesError) -> JSONValue {
        guard (200..<300).contains(response.status) else { throw ServiceErrorNames.lambda.jsonError(response) }
        let text = response.bodyText
        let payload: JSONValue = response.body.isEmpty ? .string("") : ((try? JSONParser.parse(bytes: response.body)) ?? .string(text))
        if response.header("X-Amz-Function-Error") != nil {
            // The runtime names the error in the payload; a payload without one (a crash the
            // runtime could not describe) is Lambda.Unknown.
            throw StatesError(payload["errorType"]?.stringValue ?? "Lambda.Unknown", cause: text)
        }
        if legacy { return payload }
        var fields: JSONObject = [:]
        if let version = response.header("X-Amz-Executed-Version") { fields["ExecutedVersion"] = .string(version) }
        if let log = response.header("X-Amz-Log-Result") { fields["LogResult"] = .string(log) }
        fields["Payload"] = payload
        var object = ServiceCall.withSDKMetadata(fields, response)
        object["StatusCode"] = .number(JSONNumber(response.status))
        return .object(object)
    }
}
