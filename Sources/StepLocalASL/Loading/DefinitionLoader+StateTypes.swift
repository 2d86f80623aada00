import StepLocalIntrinsics
import StepLocalJSON
import StepLocalJSONPath
import StepLocalJSONata

extension DefinitionLoader {
    /// A number written as `Field`, `FieldPath`, or (JSONata) `"{% %}"` in `Field`.
    mutating func numberSource(_ object: JSONObject, _ field: String, location: String, language: QueryLanguage, minimum: Int = 0, integer: Bool = true) -> NumberSource? {
        let pathField = field + "Path"
        if object[field] != nil, object[pathField] != nil {
            report("Field '\(field)' and '\(pathField)' are mutually exclusive", at: location)
        }
        if let value = object[field] {
            if case .string(let text) = value, language == .jsonata, JSONataBridge.expressionText(text) != nil {
                return .expression(compileTemplate(value, location: "\(location)/\(field)", fieldPath: field, language: .jsonata), field: field)
            }
            guard let n = value.numberValue, !integer || n.isInteger, n.doubleValue >= Double(minimum) else {
                report("The value for the field '\(field)' must be a positive integer", at: "\(location)/\(field)")
                return nil
            }
            return .literal(value)
        }
        if let value = object[pathField] {
            guard let text = value.stringValue, let path = parsePath(text, field: pathField, location: "\(location)/\(pathField)", definite: true) else {
                if value.stringValue == nil { report("The value for the field '\(pathField)' must be a STRING", at: "\(location)/\(pathField)") }
                return nil
            }
            return .path(path, field: pathField)
        }
        return nil
    }

    mutating func stringSource(_ object: JSONObject, _ field: String, location: String, language: QueryLanguage) -> StringSource? {
        let pathField = field + "Path"
        if object[field] != nil, object[pathField] != nil {
            report("Field '\(field)' and '\(pathField)' are mutually exclusive", at: location)
        }
        if let value = object[field] {
            guard case .string(let text) = value else {
                report("The value for the field '\(field)' must be a STRING", at: "\(location)/\(field)")
                return nil
            }
            if language == .jsonata, JSONataBridge.expressionText(text) != nil {
                return .expression(compileTemplate(value, location: "\(location)/\(field)", fieldPath: field, language: .jsonata), field: field)
            }
            return .literal(text)
        }
        if let value = object[pathField] {
            guard case .string = value else {
                report("The value for the field '\(pathField)' must be a STRING", at: "\(location)/\(pathField)")
                return nil
            }
            let template = compileTemplate(.object([pathField + ".$": value]), location: location, fieldPath: pathField, language: .jsonPath)
            guard case .object(let members) = template, let member = members.first else { return nil }
            if case .path(let path, _) = member.value { return .path(.path(path, field: pathField), field: pathField) }
            return .path(member.value, field: pathField)
        }
        return nil
    }

    mutating func loadFail(_ object: JSONObject, location: String, language: QueryLanguage) -> FailSpec {
        FailSpec(
            error: stringSource(object, "Error", location: location, language: language),
            cause: stringSource(object, "Cause", location: location, language: language))
    }

    mutating func loadWait(_ object: JSONObject, location: String, language: QueryLanguage) -> WaitSpec? {
        let present = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter { object[$0] != nil }
        guard present.count == 1 else {
            report(
                present.isEmpty
                    ? "These fields are required: [Seconds, SecondsPath, Timestamp, TimestampPath]"
                    : "Only one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] can be set", at: location)
            return nil
        }
        if present[0].hasPrefix("Seconds") {
            return numberSource(object, "Seconds", location: location, language: language).map(WaitSpec.seconds)
        }
        if case .string(let text)? = object["Timestamp"] {
            let isExpression = language == .jsonata && JSONataBridge.expressionText(text) != nil
            if !isExpression, Timestamp.parseRFC3339(text) == nil {
                report("String does not match RFC3339 timestamp", at: "\(location)/Timestamp")
                return nil
            }
        }
        return stringSource(object, "Timestamp", location: location, language: language).map(WaitSpec.timestamp)
    }

    mutating func loadTask(_ object: JSONObject, location: String, language: QueryLanguage) -> TaskSpec? {
        guard case .string(let resource)? = object["Resource"] else {
            report(object["Resource"] == nil ? "These fields are required: [Resource]" : "The value for the field 'Resource' must be a STRING", at: location)
            return nil
        }
        if let problem = ResourceValidation.problem(resource, type: type) {
            report(problem, at: "\(location)/Resource")
        }
        if let credentials = object["Credentials"] {
            if case .object(let c) = credentials {
                if c["RoleArn"] == nil, c["RoleArn.$"] == nil {
                    report("The field 'RoleArn' is required but was missing", at: "\(location)/Credentials")
                }
            } else {
                report("The value for the field 'Credentials' must be an OBJECT", at: "\(location)/Credentials")
            }
        }
        return TaskSpec(
            resource: resource,
            timeoutSeconds: numberSource(object, "TimeoutSeconds", location: location, language: language, minimum: 1),
            heartbeatSeconds: numberSource(object, "HeartbeatSeconds", location: location, language: language, minimum: 1),
            credentials: object["Credentials"],
            credentialsTemplate: object["Credentials"]?.objectValue == nil ? nil : templateField(object, "Credentials", location: location, language: language))
    }

    mutating func loadChoice(_ object: JSONObject, location: String, language: QueryLanguage) -> ChoiceSpec? {
        guard case .array(let items)? = object["Choices"], !items.isEmpty else {
            report(object["Choices"] == nil ? "These fields are required: [Choices]" : "The value for the field 'Choices' must be a non-empty ARRAY", at: location)
            return nil
        }
        var branches: [ChoiceBranch] = []
        for (i, item) in items.enumerated() {
            let here = "\(location)/Choices[\(i)]"
            guard case .object(let rule) = item else { report("The value for the field 'Choices' must be an ARRAY of OBJECT", at: here); continue }
            guard let next = rule["Next"]?.stringValue else {
                report("These fields are required: [Next]", at: here)
                continue
            }
            guard let compiled = loadRule(rule, location: here, language: language, topLevel: true) else { continue }
            branches.append(
                ChoiceBranch(
                    rule: compiled, next: next, assign: templateField(rule, "Assign", location: here, language: language),
                    output: templateField(rule, "Output", location: here, language: .jsonata)))
        }
        if let d = object["Default"], d.stringValue == nil {
            report("The value for the field 'Default' must be a STRING", at: "\(location)/Default")
        }
        return ChoiceSpec(choices: branches, defaultNext: object["Default"]?.stringValue)
    }

    mutating func loadRule(_ rule: JSONObject, location: String, language: QueryLanguage, topLevel: Bool) -> ChoiceRule? {
        if language == .jsonata {
            guard let condition = rule["Condition"] else {
                report("These fields are required: [Condition]", at: location)
                return nil
            }
            return .condition(compileTemplate(condition, location: "\(location)/Condition", fieldPath: "Condition", language: .jsonata))
        }
        let allowedExtras: Set<String> = topLevel ? ["Next", "Assign", "Comment"] : ["Comment"]
        if let value = rule["And"] ?? rule["Or"] {
            let isAnd = rule["And"] != nil
            guard case .array(let subrules) = value, !subrules.isEmpty else {
                report("The value for the field '\(isAnd ? "And" : "Or")' must be a non-empty ARRAY", at: location)
                return nil
            }
            var compiled: [ChoiceRule] = []
            for (i, sub) in subrules.enumerated() {
                guard case .object(let subObject) = sub,
                    let c = loadRule(subObject, location: "\(location)/\(isAnd ? "And" : "Or")[\(i)]", language: language, topLevel: false)
                else { continue }
                compiled.append(c)
            }
            return isAnd ? .and(compiled) : .or(compiled)
        }
        if let value = rule["Not"] {
            guard case .object(let sub) = value, let c = loadRule(sub, location: "\(location)/Not", language: language, topLevel: false) else {
                report("The value for the field 'Not' must be an OBJECT", at: location)
                return nil
            }
            return .not(c)
        }
        guard case .string(let variableText)? = rule["Variable"] else {
            report("These fields are required: [Variable]", at: location)
            return nil
        }
        guard let variable = parsePath(variableText, field: "Variable", location: "\(location)/Variable") else { return nil }
        let operators = rule.keys.filter { $0 != "Variable" && !allowedExtras.contains($0) }
        guard operators.count == 1, let name = operators.first else {
            report(operators.isEmpty ? "A comparison operator is required" : "Only one comparison operator may be used per rule", at: location)
            return nil
        }
        let operand = rule[name]!
        if ChoiceOperator.typeTests.contains(name) {
            guard case .bool(let flag) = operand, let op = ChoiceOperator.typeTest(name, flag) else {
                report("The value for the field '\(name)' must be a BOOLEAN", at: "\(location)/\(name)")
                return nil
            }
            return .comparison(variable: variable, op, .none)
        }
        if name.hasSuffix("Path"), let op = ChoiceOperator.byName[String(name.dropLast(4))] {
            guard case .string(let text) = operand, let path = parsePath(text, field: name, location: "\(location)/\(name)") else {
                if operand.stringValue == nil { report("The value for the field '\(name)' must be a STRING", at: "\(location)/\(name)") }
                return nil
            }
            return .comparison(variable: variable, op, .path(path))
        }
        guard let op = ChoiceOperator.byName[name] else {
            report("Field '\(name)' is not supported", at: location)
            return nil
        }
        let kindOK: Bool
        switch op.operandKind {
        case "string": kindOK = operand.stringValue != nil
        case "number": kindOK = operand.numberValue != nil
        case "boolean": kindOK = operand.boolValue != nil
        default: kindOK = operand.stringValue.flatMap(Timestamp.parseRFC3339) != nil
        }
        if !kindOK {
            let expected = op.operandKind == "timestamp" ? "a valid RFC3339 timestamp" : "a \(op.operandKind.uppercased())"
            report("The value for the field '\(name)' must be \(expected)", at: "\(location)/\(name)")
            return nil
        }
        return .comparison(variable: variable, op, .literal(operand))
    }

    mutating func loadMap(_ object: JSONObject, location: String, language: QueryLanguage, machineIsJSONata: Bool) -> MapSpec? {
        let processorField = object["ItemProcessor"] != nil ? "ItemProcessor" : "Iterator"
        guard case .object(let processorObject)? = object[processorField] else {
            report("These fields are required: [ItemProcessor]", at: location)
            return nil
        }
        var isDistributed = false
        var childExecutionType: StateMachineType?
        if case .object(let config)? = processorObject["ProcessorConfig"], config["Mode"]?.stringValue == "DISTRIBUTED" {
            isDistributed = true
            if let value = config["ExecutionType"] {
                childExecutionType = value.stringValue.flatMap(StateMachineType.init(rawValue:))
                if childExecutionType == nil {
                    report(
                        "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]",
                        at: "\(location)/\(processorField)/ProcessorConfig/ExecutionType")
                }
            }
        }
        if !isDistributed {
            for field in ["ItemReader", "ItemBatcher", "ResultWriter"] where object[field] != nil {
                report("The field '\(field)' is only supported in a Map whose ProcessorConfig Mode is DISTRIBUTED", at: "\(location)/\(field)")
            }
        }
        let itemReader = object["ItemReader"].flatMap { loadItemReader($0, location: "\(location)/ItemReader", language: language) }
        let itemBatcher = object["ItemBatcher"].flatMap { loadItemBatcher($0, location: "\(location)/ItemBatcher", language: language) }
        let resultWriter = object["ResultWriter"].flatMap { loadResultWriter($0, location: "\(location)/ResultWriter", language: language) }
        guard let processor = loadProgram(
            processorObject, location: "\(location)/\(processorField)", inherited: language, machineIsJSONata: machineIsJSONata, isTopLevel: false)
        else { return nil }
        var itemsPath: JSONPath?
        if let value = object["ItemsPath"] {
            if let text = value.stringValue { itemsPath = parsePath(text, field: "ItemsPath", location: "\(location)/ItemsPath", definite: true) } else {
                report("The value for the field 'ItemsPath' must be a STRING", at: "\(location)/ItemsPath")
            }
        }
        let selectorField = object["ItemSelector"] != nil ? "ItemSelector" : "Parameters"
        let selector = language == .jsonata || selectorField == "ItemSelector"
            ? templateField(object, selectorField, location: location, language: language) : nil
        let legacyParameters = selectorField == "Parameters" && language == .jsonPath
            ? templateField(object, "Parameters", location: location, language: .jsonPath) : nil
        return MapSpec(
            itemsPath: itemsPath, items: templateField(object, "Items", location: location, language: .jsonata),
            itemSelector: selector ?? legacyParameters, processor: processor,
            maxConcurrency: numberSource(object, "MaxConcurrency", location: location, language: language),
            toleratedFailurePercentage: numberSource(object, "ToleratedFailurePercentage", location: location, language: language, integer: false),
            toleratedFailureCount: numberSource(object, "ToleratedFailureCount", location: location, language: language),
            isDistributed: isDistributed, childExecutionType: childExecutionType, label: object["Label"]?.stringValue, itemReader: itemReader, itemBatcher: itemBatcher,
            resultWriter: resultWriter)
    }
}
