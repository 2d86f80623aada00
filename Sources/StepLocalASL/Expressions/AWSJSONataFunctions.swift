import StepLocalIntrinsics
import StepLocalJSON
import StepLocalJSONata

/// The functions Step Functions adds to JSONata: `$partition`, `$range`, `$hash`, `$random`,
/// `$uuid`, `$parse`. (AWS documents them on "Transforming data with JSONata":
/// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.)
enum AWSJSONataFunctions {
    /// The algorithms AWS lists for `$hash`, spelled as AWS spells them (case matters).
    static let hashAlgorithms = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"]

    static func functions(_ environment: EvaluationEnvironment) -> [String: JSONataFunction] {
        let uuid = environment.uuid
        let random = environment.random
        return [
            "hash": JSONataFunction(signature: "<ss:s>") { (args: [JSONValue?]) throws(JSONataError) -> JSONValue? in
                try hash(args.first ?? nil, algorithm: args.count > 1 ? args[1] : nil)
            },
            "random": JSONataFunction(signature: "<n?:n>") { (args: [JSONValue?]) throws(JSONataError) -> JSONValue? in
                try randomFraction(seed: args.first ?? nil, random)
            },
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

    /// `$hash(value, algorithm)`: the hex digest of a string. Undefined in, undefined out, as for
    /// JSONata's own string functions; an algorithm outside AWS's five is an argument error
    /// (AWS does not document its wording, so the message names the accepted values).
    static func hash(_ value: JSONValue?, algorithm: JSONValue?) throws(JSONataError) -> JSONValue? {
        guard case .string(let data)? = value else { return nil }
        guard case .string(let name)? = algorithm, hashAlgorithms.contains(name) else {
            let given = algorithm.map { $0.serialized() } ?? "undefined"
            throw JSONataError(
                code: "T0410",
                message: "Argument 2 of function hash must be one of \(hashAlgorithms.joined(separator: ", ")), but was \(given)")
        }
        return HashDigest.hex(of: data, algorithm: name).map(JSONValue.string)
    }

    /// `$random([seed])`: a number from 0 (inclusive) to 1 (exclusive). AWS's version takes an
    /// optional integer seed, and the same seed always gives the same number. Drawn from the
    /// environment's injected generator (53 random bits, the precision of a Double).
    static func randomFraction(seed: JSONValue?, _ random: @Sendable (ClosedRange<Int>, Int?) -> Int) throws(JSONataError) -> JSONValue? {
        var seedValue: Int? = nil
        if let seed {
            guard case .number(let n) = seed, let i = n.intValue else {
                throw JSONataError(code: "T0410", message: "Argument 1 of function random must be an integer seed, but was \(seed.serialized())")
            }
            seedValue = i
        }
        let scale = 1 << 53
        return .double(Double(random(0...(scale - 1), seedValue)) / Double(scale))
    }
}
