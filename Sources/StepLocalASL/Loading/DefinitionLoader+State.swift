import StepLocalIntrinsics
import StepLocalJSON
import StepLocalJSONPath
import StepLocalJSONata

/// The fields each state type accepts (beyond Type, Comment, QueryLanguage), per query language.
private enum StateFields {
    static let jsonPathOnly: Set<String> = [
        "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath", "SecondsPath", "TimestampPath",
        "ErrorPath", "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath",
        "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "Result", "Iterator",
    ]
    static let jsonataOnly: Set<String> = ["Arguments", "Output", "Items"]

    static func allowed(_ type: String) -> Set<String>? {
        let common: Set<String> = ["Type", "Comment", "QueryLanguage"]
        switch type {
        case "Pass": return common.union(["Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Output", "Assign"])
        case "Task":
            return common.union([
                "Next", "End", "Resource", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch",
                "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Arguments",
                "Output", "Assign",
            ])
        case "Choice": return common.union(["Choices", "Default", "InputPath", "OutputPath", "Output", "Assign"])
        case "Wait":
            return common.union(["Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "InputPath", "OutputPath", "Output", "Assign"])
        case "Succeed": return common.union(["InputPath", "OutputPath", "Output"])
        case "Fail": return common.union(["Error", "ErrorPath", "Cause", "CausePath"])
        case "Parallel":
            return common.union([
                "Next", "End", "Branches", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch",
                "Arguments", "Output", "Assign",
            ])
        case "Map":
            return common.union([
                "Next", "End", "Iterator", "ItemProcessor", "ItemsPath", "Items", "ItemSelector", "Parameters", "MaxConcurrency",
                "MaxConcurrencyPath", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Retry", "Catch", "ItemReader",
                "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
                "ToleratedFailureCount", "ToleratedFailureCountPath", "Label", "Output", "Assign", "Arguments",
            ])
        default: return nil
        }
    }
}

extension DefinitionLoader {
    mutating func loadState(name: String, _ object: JSONObject, location: String, inherited: QueryLanguage, machineIsJSONata: Bool) -> State? {
        guard let typeName = object["Type"]?.stringValue else {
            report(object["Type"] == nil ? "These fields are required: [Type]" : "The value for the field 'Type' must be a STRING", at: location)
            return nil
        }
        guard let allowed = StateFields.allowed(typeName) else {
            report(
                "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", at: "\(location)/Type")
            return nil
        }
        var language = inherited
        if let value = object["QueryLanguage"] {
            guard let text = value.stringValue, let parsed = QueryLanguage(rawValue: text) else {
                report("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", at: "\(location)/QueryLanguage")
                return nil
            }
            if machineIsJSONata, parsed == .jsonPath {
                report("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", at: location)
            }
            language = parsed
        }
        for key in object.keys where !allowed.contains(key) {
            report("Field '\(key)' is not supported", at: location)
        }
        for key in object.keys where allowed.contains(key) {
            if language == .jsonata, StateFields.jsonPathOnly.contains(key) {
                report("The field '\(key)' is not supported for state type '\(typeName)' when the query language is JSONata", at: location)
            } else if language == .jsonPath, StateFields.jsonataOnly.contains(key) {
                report("The field '\(key)' is not supported for state type '\(typeName)' when the query language is JSONPath", at: location)
            }
        }

        // Transitions.
        var next: String?
        let terminalType = ["Succeed", "Fail", "Choice"].contains(typeName)
        if !terminalType {
            let hasNext = object["Next"] != nil
            let end = object["End"]
            if hasNext, end != nil {
                report("Field 'End' and 'Next' are mutually exclusive", at: location)
            } else if let nextValue = object["Next"] {
                if let text = nextValue.stringValue { next = text } else { report("The value for the field 'Next' must be a STRING", at: "\(location)/Next") }
            } else if let end {
                if end != .bool(true) { report("The value for the field 'End' must be true", at: "\(location)/End") }
            } else {
                report("MISSING_NEXT_OR_END", "These fields are required: [Next or End]", at: location)
            }
        }

        let parameters = templateField(object, "Parameters", location: location, language: .jsonPath)
        let resultSelector = templateField(object, "ResultSelector", location: location, language: .jsonPath)
        let arguments = templateField(object, "Arguments", location: location, language: .jsonata)
        let output = templateField(object, "Output", location: location, language: .jsonata)
        let assign = templateField(object, "Assign", location: location, language: language)
        if let value = object["Assign"], value.objectValue == nil {
            report("The value for the field 'Assign' must be an OBJECT", at: "\(location)/Assign")
        }
        let retry = loadRetriers(object["Retry"], location: "\(location)/Retry")
        let catchers = loadCatchers(object["Catch"], location: "\(location)/Catch", language: language)

        let kind: State.Kind
        switch typeName {
        case "Pass":
            kind = .pass(result: object["Result"])
        case "Succeed":
            kind = .succeed
        case "Fail":
            kind = .fail(loadFail(object, location: location, language: language))
        case "Wait":
            guard let spec = loadWait(object, location: location, language: language) else { return nil }
            kind = .wait(spec)
        case "Task":
            guard let spec = loadTask(object, location: location, language: language) else { return nil }
            kind = .task(spec)
        case "Choice":
            guard let spec = loadChoice(object, location: location, language: language) else { return nil }
            kind = .choice(spec)
        case "Parallel":
            guard case .array(let branchValues)? = object["Branches"] else {
                report("These fields are required: [Branches]", at: location)
                return nil
            }
            var branches: [StateProgram] = []
            for (i, value) in branchValues.enumerated() {
                guard case .object(let branch) = value else {
                    report("The value for the field 'Branches' must be an ARRAY of OBJECT", at: "\(location)/Branches[\(i)]")
                    continue
                }
                if let program = loadProgram(
                    branch, location: "\(location)/Branches[\(i)]", inherited: language, machineIsJSONata: machineIsJSONata, isTopLevel: false)
                {
                    branches.append(program)
                }
            }
            kind = .parallel(branches: branches)
        case "Map":
            guard let spec = loadMap(object, location: location, language: language, machineIsJSONata: machineIsJSONata) else { return nil }
            kind = .map(spec)
        default:
            return nil
        }

        return State(
            name: name, queryLanguage: language, kind: kind, next: terminalType ? nil : next,
            inputPath: ioPath(object, "InputPath", location: location), outputPath: ioPath(object, "OutputPath", location: location),
            resultPath: resultPath(object["ResultPath"], present: object.keys.contains("ResultPath"), location: "\(location)/ResultPath"),
            parameters: parameters, resultSelector: resultSelector, arguments: arguments, output: output, assign: assign,
            retry: retry, catchers: catchers)
    }

    // MARK: Paths

    mutating func parsePath(_ text: String, field: String, location: String, definite: Bool = false) -> JSONPath? {
        do {
            let path = try JSONPath(text)
            if definite, !path.isDefinite {
                report("The value for the field '\(field)' must be a valid Reference Path", at: location)
                return nil
            }
            return path
        } catch {
            report("The value for the field '\(field)' must be a valid JSONPath", at: location)
            return nil
        }
    }

    mutating func ioPath(_ object: JSONObject, _ field: String, location: String) -> InputOutputPath {
        guard object.keys.contains(field), let value = object[field] else { return .whole }
        switch value {
        case .null: return .empty
        case .string(let text):
            return parsePath(text, field: field, location: "\(location)/\(field)").map(InputOutputPath.path) ?? .whole
        default:
            report("The value for the field '\(field)' must be a STRING", at: "\(location)/\(field)")
            return .whole
        }
    }

    mutating func resultPath(_ value: JSONValue?, present: Bool, location: String) -> ResultPath {
        guard present, let value else { return .replace }
        switch value {
        case .null: return .discard
        case .string(let text):
            guard let path = parsePath(text, field: "ResultPath", location: location, definite: true) else { return .replace }
            if case .input = path.root {} else {
                report("The value for the field 'ResultPath' must be a valid Reference Path", at: location)
            }
            return .path(path)
        default:
            report("The value for the field 'ResultPath' must be a STRING", at: location)
            return .replace
        }
    }

    // MARK: Templates

    mutating func templateField(_ object: JSONObject, _ field: String, location: String, language: QueryLanguage) -> PayloadTemplate? {
        guard let value = object[field] else { return nil }
        return compileTemplate(value, location: "\(location)/\(field)", fieldPath: field, language: language)
    }

    /// Compiles a payload. JSONPath: `"key.$"` members become paths or intrinsics. JSONata: any
    /// `{% %}` string becomes an expression.
    mutating func compileTemplate(_ value: JSONValue, location: String, fieldPath: String, language: QueryLanguage) -> PayloadTemplate {
        switch language {
        case .jsonPath:
            guard case .object(let object) = value else {
                if case .array(let items) = value {
                    let compiled = items.enumerated().map { compileTemplate($1, location: "\(location)[\($0)]", fieldPath: fieldPath, language: language) }
                    return compiled.allSatisfy(\.isLiteral) ? .literal(value) : .array(compiled)
                }
                return .literal(value)
            }
            var members: [PayloadTemplate.Member] = []
            var allLiteral = true
            for (key, member) in object {
                if key.hasSuffix(".$") {
                    allLiteral = false
                    let name = String(key.dropLast(2))
                    guard case .string(let text) = member else {
                        report("The value for the field '\(key)' must be a valid JSONPath or a valid intrinsic function call", at: location)
                        continue
                    }
                    if IntrinsicExpression.looksLikeIntrinsic(text) {
                        do {
                            members.append(.init(key: name, value: .intrinsic(try IntrinsicExpression(text), field: key, usesContext: text.contains("$$"))))
                        } catch {
                            report("The value for the field '\(key)' must be a valid JSONPath or a valid intrinsic function call", at: location)
                        }
                    } else if let path = try? JSONPath(text) {
                        members.append(.init(key: name, value: .path(path, field: key)))
                    } else {
                        report("The value for the field '\(key)' must be a valid JSONPath or a valid intrinsic function call", at: location)
                    }
                } else {
                    let compiled = compileTemplate(member, location: "\(location)/\(key)", fieldPath: fieldPath, language: language)
                    if !compiled.isLiteral { allLiteral = false }
                    members.append(.init(key: key, value: compiled))
                }
            }
            return allLiteral ? .literal(value) : .object(members)
        case .jsonata:
            switch value {
            case .string(let text):
                guard let expressionText = JSONataBridge.expressionText(text) else { return .literal(value) }
                do {
                    return .jsonata(try JSONataExpression(expressionText), text: expressionText, field: fieldPath)
                } catch {
                    report("The JSONata expression '\(expressionText)' is not valid: \(error.code): \(error.message)", at: location)
                    return .literal(value)
                }
            case .object(let object):
                var members: [PayloadTemplate.Member] = []
                var allLiteral = true
                for (key, member) in object {
                    let compiled = compileTemplate(member, location: "\(location)/\(key)", fieldPath: "\(fieldPath)/\(key)", language: language)
                    if !compiled.isLiteral { allLiteral = false }
                    members.append(.init(key: key, value: compiled))
                }
                return allLiteral ? .literal(value) : .object(members)
            case .array(let items):
                let compiled = items.enumerated().map {
                    compileTemplate($1, location: "\(location)[\($0)]", fieldPath: "\(fieldPath)[\($0)]", language: language)
                }
                return compiled.allSatisfy(\.isLiteral) ? .literal(value) : .array(compiled)
            default:
                return .literal(value)
            }
        }
    }

    // MARK: Retry and Catch

    mutating func errorEquals(_ object: JSONObject, location: String) -> [String] {
        guard case .array(let values)? = object["ErrorEquals"], !values.isEmpty else {
            report("These fields are required: [ErrorEquals]", at: location)
            return []
        }
        let names = values.compactMap(\.stringValue)
        if names.count != values.count { report("The value for the field 'ErrorEquals' must be an ARRAY of STRING", at: "\(location)/ErrorEquals") }
        if names.contains(StatesError.all), names.count > 1 {
            report("States.ALL must appear alone in 'ErrorEquals'", at: "\(location)/ErrorEquals")
        }
        return names
    }

    mutating func loadRetriers(_ value: JSONValue?, location: String) -> [Retrier] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            report("The value for the field 'Retry' must be an ARRAY", at: location)
            return []
        }
        var retriers: [Retrier] = []
        for (i, item) in items.enumerated() {
            let here = "\(location)[\(i)]"
            guard case .object(let object) = item else { report("The value for the field 'Retry' must be an ARRAY of OBJECT", at: here); continue }
            for key in object.keys where !["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"].contains(key) {
                report("Field '\(key)' is not supported", at: here)
            }
            let names = errorEquals(object, location: here)
            if names.contains(StatesError.all), i != items.count - 1 {
                report("States.ALL must be the last retrier", at: "\(here)/ErrorEquals")
            }
            func number(_ key: String, _ fallback: Double, min: Double) -> Double {
                guard let v = object[key] else { return fallback }
                guard let d = v.numberValue?.doubleValue, d >= min else {
                    report("The value for the field '\(key)' must be a number greater than or equal to \(JSONNumber(min).text)", at: "\(here)/\(key)")
                    return fallback
                }
                return d
            }
            let interval = number("IntervalSeconds", 1, min: 1)
            let maxAttempts = Int(number("MaxAttempts", 3, min: 0))
            let backoff = number("BackoffRate", 2, min: 1)
            let maxDelay = object["MaxDelaySeconds"] == nil ? nil : number("MaxDelaySeconds", 0, min: 1)
            var jitterFull = false
            if let jitter = object["JitterStrategy"] {
                switch jitter.stringValue {
                case "FULL": jitterFull = true
                case "NONE": jitterFull = false
                default: report("The field 'JitterStrategy' should have one of these values: [FULL, NONE]", at: "\(here)/JitterStrategy")
                }
            }
            retriers.append(
                Retrier(errorEquals: names, intervalSeconds: interval, maxAttempts: maxAttempts, backoffRate: backoff,
                    maxDelaySeconds: maxDelay, jitterFull: jitterFull))
        }
        return retriers
    }

    mutating func loadCatchers(_ value: JSONValue?, location: String, language: QueryLanguage) -> [Catcher] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            report("The value for the field 'Catch' must be an ARRAY", at: location)
            return []
        }
        var catchers: [Catcher] = []
        for (i, item) in items.enumerated() {
            let here = "\(location)[\(i)]"
            guard case .object(let object) = item else { report("The value for the field 'Catch' must be an ARRAY of OBJECT", at: here); continue }
            for key in object.keys where !["ErrorEquals", "Next", "ResultPath", "Assign", "Output", "Comment"].contains(key) {
                report("Field '\(key)' is not supported", at: here)
            }
            let names = errorEquals(object, location: here)
            if names.contains(StatesError.all), i != items.count - 1 {
                report("States.ALL must be the last catcher", at: "\(here)/ErrorEquals")
            }
            guard let next = object["Next"]?.stringValue else {
                report("These fields are required: [Next]", at: here)
                continue
            }
            catchers.append(
                Catcher(
                    errorEquals: names, next: next,
                    resultPath: resultPath(object["ResultPath"], present: object.keys.contains("ResultPath"), location: "\(here)/ResultPath"),
                    assign: templateField(object, "Assign", location: here, language: language),
                    output: templateField(object, "Output", location: here, language: .jsonata)))
        }
        return catchers
    }
}
