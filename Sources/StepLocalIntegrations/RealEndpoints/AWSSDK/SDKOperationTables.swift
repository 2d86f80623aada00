import StepLocalJSON
import Synchronization

/// The AWS JSON-protocol services StepLocal can call for `arn:aws:states:::aws-sdk:SERVICE:action`,
/// generated from botocore's models by `scripts/generate-sdk-operations.py` (the format is
/// described there). A service's table is decoded the first time one of its actions runs.
enum SDKOperationTables {
    private static let decoded = Mutex<[String: SDKService]>([:])

    /// The service's table, or nil when StepLocal has none (not a JSON-protocol service, or left out for size).
    static func service(_ name: String) -> SDKService? {
        if let known = decoded.withLock({ $0[name] }) { return known }
        guard let text = encoded[name], let service = SDKService(name: name, encoded: text) else { return nil }
        decoded.withLock { $0[name] = service }
        return service
    }

    static func hasService(_ name: String) -> Bool { encoded[name] != nil }
}

/// One JSON-protocol service: how to call it and how its shapes are named on each side.
struct SDKService: Sendable {
    let name: String
    let endpointPrefix: String
    let signingName: String
    let targetPrefix: String
    let jsonVersion: String
    /// The Java SDK v2's client prefix (`DynamoDb`, `SecretsManager`, `Sfn`): errors are named after it.
    let javaName: String
    /// action (camelCase) → (Operation, input, output).
    let operations: [String: (operation: String, input: SDKShapeRef, output: SDKShapeRef)]
    /// Declared error code → the Java SDK's exception class.
    let errors: [String: String]
    let shapes: [SDKShape]

    init?(name: String, encoded text: String) {
        guard let table = try? JSONValue(parsing: text), let meta = table["meta"]?.arrayValue, meta.count >= 5,
            case .object(let ops)? = table["ops"], let shapes = table["shapes"]?.arrayValue
        else { return nil }
        self.name = name
        endpointPrefix = meta[0].stringValue ?? name
        signingName = meta[1].stringValue ?? name
        targetPrefix = meta[2].stringValue ?? ""
        jsonVersion = meta[3].stringValue ?? "1.0"
        javaName = meta[4].stringValue ?? name
        var operations: [String: (String, SDKShapeRef, SDKShapeRef)] = [:]
        for (action, entry) in ops {
            guard let parts = entry.arrayValue, parts.count == 3, let operation = parts[0].stringValue else { continue }
            operations[action] = (operation, SDKShapeRef(parts[1]), SDKShapeRef(parts[2]))
        }
        self.operations = operations
        var errors: [String: String] = [:]
        if case .object(let declared)? = table["errors"] {
            for (code, className) in declared { errors[code] = className.stringValue }
        }
        self.errors = errors
        self.shapes = shapes.map(SDKShape.init)
    }

    /// `request` as the service expects it: every member under its wire name.
    func toWire(_ value: JSONValue, _ ref: SDKShapeRef) -> JSONValue {
        translate(value, ref, toWire: true)
    }

    /// An answer as a state sees it: every member under the name Step Functions gives it.
    func fromWire(_ value: JSONValue, _ ref: SDKShapeRef) -> JSONValue {
        translate(value, ref, toWire: false)
    }

    private func translate(_ value: JSONValue, _ ref: SDKShapeRef, toWire: Bool) -> JSONValue {
        guard case .shape(let index) = ref, shapes.indices.contains(index) else { return value }
        switch (shapes[index], value) {
        case (.list(let element), .array(let items)):
            return .array(items.map { translate($0, element, toWire: toWire) })
        case (.map(let element), .object(let members)):
            var out = JSONObject()
            for (key, member) in members { out[key] = translate(member, element, toWire: toWire) }
            return .object(out)
        case (.structure(let members), .object(let given)):
            var out = JSONObject()
            for (key, member) in given {
                if let known = members.first(where: { (toWire ? $0.stepFunctionsName : $0.wireName) == key }) {
                    out[toWire ? known.wireName : known.stepFunctionsName] = translate(member, known.ref, toWire: toWire)
                } else {
                    // Not in the model: passed on as given (the service decides); answers newer than
                    // the model still read in Step Functions' casing.
                    out[toWire ? key : key.prefix(1).uppercased() + key.dropFirst()] = member
                }
            }
            return .object(out)
        default:
            return value
        }
    }
}

/// A reference to a shape: a scalar kind, or an index into ``SDKService/shapes``.
enum SDKShapeRef: Sendable {
    case scalar
    case shape(Int)

    init(_ value: JSONValue) {
        if let index = value.numberValue?.intValue { self = .shape(index) } else { self = .scalar }
    }
}

/// A list, a map (keys kept as they are: DynamoDB attribute names, tags) or a structure whose
/// members have a Step Functions name and a wire name.
enum SDKShape: Sendable {
    struct Member: Sendable {
        let stepFunctionsName: String
        let wireName: String
        let ref: SDKShapeRef
    }

    case list(SDKShapeRef)
    case map(SDKShapeRef)
    case structure([Member])
    case other

    init(_ value: JSONValue) {
        guard let parts = value.arrayValue, parts.count == 2, let kind = parts[0].stringValue else {
            self = .other
            return
        }
        switch kind {
        case "l": self = .list(SDKShapeRef(parts[1]))
        case "m": self = .map(SDKShapeRef(parts[1]))
        case "o":
            self = .structure((parts[1].arrayValue ?? []).compactMap { entry in
                guard let fields = entry.arrayValue else { return nil }
                if fields.count == 2, let name = fields[0].stringValue {
                    return Member(stepFunctionsName: name, wireName: name, ref: SDKShapeRef(fields[1]))
                }
                guard fields.count == 3, let sfn = fields[0].stringValue, let wire = fields[1].stringValue else { return nil }
                return Member(stepFunctionsName: sfn, wireName: wire, ref: SDKShapeRef(fields[2]))
            })
        default: self = .other
        }
    }
}
