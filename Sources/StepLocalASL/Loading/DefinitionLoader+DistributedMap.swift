import StepLocalJSON

/// Loading and validating a Distributed Map's `ItemReader`, `ItemBatcher` and `ResultWriter`,
/// with the values and limits of AWS's "ItemReader (Map)", "ItemBatcher (Map)" and "ResultWriter
/// (Map)" pages. Where AWS's diagnostic text for a mistake was not available, the message says
/// plainly what is wrong (our wording).
extension DefinitionLoader {
    /// AWS's ceiling on `MaxItems` ("up to 100,000,000").
    static let maxItemsLimit = 100_000_000
    /// `MaxInputBytesPerBatch` may not exceed the 256 KiB payload quota.
    static let maxInputBytesPerBatchLimit = 262_144

    mutating func loadItemReader(_ value: JSONValue, location: String, language: QueryLanguage) -> ItemReaderSpec? {
        guard case .object(let object) = value else {
            report("The value for the field 'ItemReader' must be an OBJECT", at: location)
            return nil
        }
        let parametersField = language == .jsonata ? "Arguments" : "Parameters"
        checkMembers(object, allowed: ["Resource", "ReaderConfig", "Parameters", "Arguments"], location: location, languageField: parametersField)
        guard let resourceText = object["Resource"]?.stringValue else {
            report(object["Resource"] == nil ? "These fields are required: [Resource]" : "The value for the field 'Resource' must be a STRING", at: location)
            return nil
        }
        guard let action = ItemReaderSpec.Action(rawValue: Self.withoutPartition(resourceText)) else {
            report(
                "The value for the field 'Resource' must be one of [arn:aws:states:::s3:getObject, arn:aws:states:::s3:listObjectsV2]",
                at: "\(location)/Resource")
            return nil
        }
        let parameters = templateField(object, parametersField, location: location, language: language)
        if parameters == nil { report("These fields are required: [\(parametersField)]", at: location) }

        var config = JSONObject()
        if let value = object["ReaderConfig"] {
            guard case .object(let found) = value else {
                report("The value for the field 'ReaderConfig' must be an OBJECT", at: "\(location)/ReaderConfig")
                return nil
            }
            config = found
        }
        let configLocation = "\(location)/ReaderConfig"
        checkMembers(
            config, allowed: ["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath"],
            location: configLocation, languageField: nil)
        if language == .jsonata, config["MaxItemsPath"] != nil {
            report("The field 'MaxItemsPath' is not supported when the query language is JSONata", at: configLocation)
        }
        var inputType: ItemReaderSpec.InputType?
        if let value = config["InputType"] {
            inputType = value.stringValue.flatMap(ItemReaderSpec.InputType.init(rawValue:))
            if inputType == nil {
                report("The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST]", at: "\(configLocation)/InputType")
            } else if action == .listObjectsV2 {
                report("The field 'InputType' is only used with the resource arn:aws:states:::s3:getObject", at: "\(configLocation)/InputType")
            }
        } else if action == .getObject {
            report("These fields are required: [InputType]", at: configLocation)
        }
        var headerLocation = ItemReaderSpec.CSVHeaderLocation.firstRow
        var headers: [String]?
        var delimiter = ItemReaderSpec.CSVDelimiter.comma
        let csvFields = ["CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"]
        if inputType != .csv {
            for field in csvFields where config[field] != nil {
                report("The field '\(field)' is only used with the InputType CSV", at: "\(configLocation)/\(field)")
            }
        }
        if let value = config["CSVHeaderLocation"] {
            if let parsed = value.stringValue.flatMap(ItemReaderSpec.CSVHeaderLocation.init(rawValue:)) { headerLocation = parsed } else {
                report("The field 'CSVHeaderLocation' should have one of these values: [FIRST_ROW, GIVEN]", at: "\(configLocation)/CSVHeaderLocation")
            }
        }
        if let value = config["CSVHeaders"] {
            if case .array(let items) = value, !items.isEmpty, items.allSatisfy({ $0.stringValue != nil }) {
                headers = items.compactMap(\.stringValue)
            } else {
                report("The value for the field 'CSVHeaders' must be a non-empty ARRAY of STRING", at: "\(configLocation)/CSVHeaders")
            }
            if headerLocation != .given {
                report("The field 'CSVHeaders' is only used with the CSVHeaderLocation GIVEN", at: "\(configLocation)/CSVHeaders")
            }
        } else if inputType == .csv, headerLocation == .given {
            report("These fields are required: [CSVHeaders]", at: configLocation)
        }
        if let value = config["CSVDelimiter"] {
            if let parsed = value.stringValue.flatMap(ItemReaderSpec.CSVDelimiter.init(rawValue:)) { delimiter = parsed } else {
                report("The field 'CSVDelimiter' should have one of these values: [COMMA, PIPE, SEMICOLON, SPACE, TAB]", at: "\(configLocation)/CSVDelimiter")
            }
        }
        let maxItems = numberSource(config, "MaxItems", location: configLocation, language: language)
        if case .literal(let literal)? = maxItems, let count = literal.numberValue?.intValue, count > Self.maxItemsLimit {
            report("The value for the field 'MaxItems' must be at most \(Self.maxItemsLimit)", at: "\(configLocation)/MaxItems")
        }
        return ItemReaderSpec(
            action: action, parameters: parameters, inputType: inputType, csvHeaderLocation: headerLocation, csvHeaders: headers,
            csvDelimiter: delimiter, maxItems: maxItems)
    }

    mutating func loadItemBatcher(_ value: JSONValue, location: String, language: QueryLanguage) -> ItemBatcherSpec? {
        guard case .object(let object) = value else {
            report("The value for the field 'ItemBatcher' must be an OBJECT", at: location)
            return nil
        }
        let limits = ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"]
        checkMembers(object, allowed: limits + ["BatchInput"], location: location, languageField: nil)
        if language == .jsonata {
            for field in ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"] where object[field] != nil {
                report("The field '\(field)' is not supported when the query language is JSONata", at: location)
            }
        }
        if !limits.contains(where: { object[$0] != nil }) {
            report("ItemBatcher needs at least one of [MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]", at: location)
        }
        let maxItems = numberSource(object, "MaxItemsPerBatch", location: location, language: language, minimum: 1)
        let maxBytes = numberSource(object, "MaxInputBytesPerBatch", location: location, language: language, minimum: 1)
        if case .literal(let literal)? = maxBytes, let bytes = literal.numberValue?.intValue, bytes > Self.maxInputBytesPerBatchLimit {
            report("The value for the field 'MaxInputBytesPerBatch' must be at most \(Self.maxInputBytesPerBatchLimit)", at: "\(location)/MaxInputBytesPerBatch")
        }
        if let batchInput = object["BatchInput"], case .object = batchInput {} else if object["BatchInput"] != nil {
            report("The value for the field 'BatchInput' must be an OBJECT", at: "\(location)/BatchInput")
        }
        return ItemBatcherSpec(
            maxItemsPerBatch: maxItems, maxInputBytesPerBatch: maxBytes,
            batchInput: templateField(object, "BatchInput", location: location, language: language))
    }

    mutating func loadResultWriter(_ value: JSONValue, location: String, language: QueryLanguage) -> ResultWriterSpec? {
        guard case .object(let object) = value else {
            report("The value for the field 'ResultWriter' must be an OBJECT", at: location)
            return nil
        }
        let parametersField = language == .jsonata ? "Arguments" : "Parameters"
        checkMembers(object, allowed: ["Resource", "Parameters", "Arguments", "WriterConfig"], location: location, languageField: parametersField)
        if object["Resource"] == nil, object["WriterConfig"] == nil {
            report("ResultWriter needs either [Resource, \(parametersField)] or [WriterConfig], or all three", at: location)
        }
        var writesToS3 = false
        if let resource = object["Resource"] {
            if resource.stringValue.map(Self.withoutPartition) == "arn:aws:states:::s3:putObject" { writesToS3 = true } else {
                report("The value for the field 'Resource' must be arn:aws:states:::s3:putObject", at: "\(location)/Resource")
            }
            if object[parametersField] == nil { report("These fields are required: [\(parametersField)]", at: location) }
        } else if object[parametersField] != nil {
            report("These fields are required: [Resource]", at: location)
        }
        var transformation: ResultWriterSpec.Transformation?
        var outputType = ResultWriterSpec.OutputType.json
        if let value = object["WriterConfig"] {
            let configLocation = "\(location)/WriterConfig"
            guard case .object(let config) = value else {
                report("The value for the field 'WriterConfig' must be an OBJECT", at: configLocation)
                return nil
            }
            checkMembers(config, allowed: ["OutputType", "Transformation"], location: configLocation, languageField: nil)
            if let value = config["Transformation"] {
                transformation = value.stringValue.flatMap(ResultWriterSpec.Transformation.init(rawValue:))
                if transformation == nil {
                    report("The field 'Transformation' should have one of these values: [NONE, COMPACT, FLATTEN]", at: "\(configLocation)/Transformation")
                }
            }
            if let value = config["OutputType"] {
                if let parsed = value.stringValue.flatMap(ResultWriterSpec.OutputType.init(rawValue:)) { outputType = parsed } else {
                    report("The field 'OutputType' should have one of these values: [JSON, JSONL]", at: "\(configLocation)/OutputType")
                }
            }
        }
        return ResultWriterSpec(
            parameters: templateField(object, parametersField, location: location, language: language), writesToS3: writesToS3,
            transformation: transformation, outputType: outputType)
    }

    /// Reports members that are not allowed, and `Parameters`/`Arguments` in the wrong query language.
    private mutating func checkMembers(_ object: JSONObject, allowed: [String], location: String, languageField: String?) {
        for key in object.keys where !allowed.contains(key) {
            report("Field '\(key)' is not supported", at: location)
        }
        if let languageField {
            let other = languageField == "Arguments" ? "Parameters" : "Arguments"
            if object[other] != nil {
                let language = languageField == "Arguments" ? "JSONata" : "JSONPath"
                report("The field '\(other)' is not supported when the query language is \(language)", at: location)
            }
        }
    }

    /// `arn:aws-cn:states:::s3:getObject` → `arn:aws:states:::s3:getObject`: every partition names the same action.
    static func withoutPartition(_ resource: String) -> String {
        let parts = resource.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "arn" else { return resource }
        return "arn:aws:\(parts[2])"
    }
}
