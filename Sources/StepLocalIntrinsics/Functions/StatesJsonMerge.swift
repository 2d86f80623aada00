import StepLocalJSON

/// `States.JsonMerge(left, right, deep)`: a shallow merge where the right object's members win.
/// AWS supports only `deep == false`.
///
/// AWS quirk: the merged object comes back in Java `HashMap` iteration order, not input order
/// (conformance test_json_merge_escaped_argument returns `constant_input_field` before
/// `constant_in_literal`), so the result is reordered the same way.
enum StatesJsonMerge: IntrinsicFunctionDefinition {
    static let name = "States.JsonMerge"
    static let signature = IntrinsicSignature(required: [.object, .object, .boolean])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        guard arguments[2].boolValue == false else {
            throw .invalidArgument(function: name, "deep merging is not supported; the third argument must be false")
        }
        var merged = arguments[0].objectValue ?? [:]
        for (key, value) in arguments[1].objectValue ?? [:] { merged[key] = value }
        return .object(hashMapOrder(merged))
    }

    /// Orders keys as a Java `HashMap` filled in this order would iterate them: by bucket
    /// (`hash ^ hash >>> 16`, masked by the table size, which doubles past a 0.75 load), then by insertion.
    static func hashMapOrder(_ object: JSONObject) -> JSONObject {
        var capacity = 16
        while Double(object.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let buckets = object.keys.enumerated().map { (offset, key) -> (bucket: Int, offset: Int) in
            let h = UInt32(bitPattern: JavaText.hashCode(key))
            return (Int((h ^ (h >> 16)) & UInt32(capacity - 1)), offset)
        }
        var ordered = JSONObject(minimumCapacity: object.count)
        for entry in buckets.sorted(by: { ($0.bucket, $0.offset) < ($1.bucket, $1.offset) }) {
            let element = object.elements[entry.offset]
            ordered[element.key] = element.value
        }
        return ordered
    }
}
