import StepLocalJSON
import StepLocalJSONata

/// The functions Step Functions adds to JSONata: `$partition`, `$range`, `$hash`, `$random`,
/// `$uuid`, `$parse`. (AWS documents them on "Transforming data with JSONata".)
enum AWSJSONataFunctions {
    static func functions(_ environment: EvaluationEnvironment) -> [String: JSONataFunction] {
        let uuid = environment.uuid
        return [
            "partition": JSONataFunction(signature: nil) { (args: [JSONValue?]) throws(JSONataError) -> JSONValue? in
                guard args.count == 2, case .array(let items)? = args[0], let size = args[1]?.numberValue?.intValue, size > 0 else {
                    throw JSONataError(code: "T0410", message: "Argument 1 of function partition does not match function signature", position: nil)
                }
                var chunks: [JSONValue] = []
                var index = 0
                while index < items.count {
                    chunks.append(.array(Array(items[index..<min(index + size, items.count)])))
                    index += size
                }
                return .array(chunks)
            },
            "range": JSONataFunction(signature: nil) { (args: [JSONValue?]) throws(JSONataError) -> JSONValue? in
                guard args.count == 3, let start = args[0]?.numberValue?.intValue, let end = args[1]?.numberValue?.intValue,
                    let step = args[2]?.numberValue?.intValue, step != 0
                else {
                    throw JSONataError(code: "T0410", message: "Arguments of function range do not match function signature", position: nil)
                }
                var values: [JSONValue] = []
                var current = start
                while (step > 0 ? current <= end : current >= end) && values.count < 1_000_000 {
                    values.append(.int(current))
                    current += step
                }
                // A one-element result is a singleton sequence in JSONata, which unwraps.
                return values.count == 1 ? values[0] : .array(values)
            },
            "uuid": JSONataFunction(signature: nil) { (_: [JSONValue?]) throws(JSONataError) -> JSONValue? in
                .string(uuid())
            },
            "parse": JSONataFunction(signature: nil) { (args: [JSONValue?]) throws(JSONataError) -> JSONValue? in
                guard args.count == 1, case .string(let text)? = args[0] else {
                    throw JSONataError(code: "T0410", message: "Argument 1 of function parse does not match function signature", position: nil)
                }
                do throws(JSONParseError) {
                    return try JSONValue(parsing: text)
                } catch {
                    throw JSONataError(code: "D3140", message: "Malformed JSON: \(error.message)", position: nil)
                }
            },
        ]
    }
}
