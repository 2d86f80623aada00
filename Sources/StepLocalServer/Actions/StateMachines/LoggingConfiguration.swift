import StepLocalJSON

/// AWS's defaults and checks for `loggingConfiguration`: level OFF and no execution data when
/// absent; any other level needs exactly one CloudWatch Logs destination.
enum LoggingConfiguration {
    static func normalize(_ value: JSONValue?) throws(AWSServiceError) -> JSONValue {
        guard let object = value?.objectValue else { return StateMachineRevision.defaultLogging }
        let level = object["level"]?.stringValue ?? "OFF"
        let destinations = object["destinations"]?.arrayValue ?? []
        if level != "OFF" && destinations.isEmpty {
            throw AWSServiceError("InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination.")
        }
        if destinations.count > 1 {
            throw AWSServiceError("InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination.")
        }
        var result: JSONObject = ["level": .string(level), "includeExecutionData": object["includeExecutionData"] ?? false]
        if !destinations.isEmpty { result["destinations"] = .array(destinations) }
        return .object(result)
    }
}

/// AWS's default for `tracingConfiguration`: X-Ray off.
enum TracingConfiguration {
    static func normalize(_ value: JSONValue) -> JSONValue {
        ["enabled": value["enabled"] ?? false]
    }
}
