import StepLocalJSON

/// Tag lists as the API carries them (`[{"key": ..., "value": ...}]`) and AWS's limit of 50
/// tags per resource.
enum Tags {
    static let limit = 50

    static func parse(_ value: JSONValue?) throws(AWSServiceError) -> [ResourceTag] {
        guard let items = value?.arrayValue else { return [] }
        var result: [ResourceTag] = []
        for item in items {
            guard let key = item["key"]?.stringValue else { continue }
            let value = item["value"]?.stringValue ?? ""
            if let index = result.firstIndex(where: { $0.key == key }) {
                result[index].value = value
            } else {
                result.append((key, value))
            }
        }
        return result
    }

    static func checkLimit(_ arn: String, count: Int) throws(AWSServiceError) {
        if count > limit { throw .tooManyTags(arn, limit: limit) }
    }

    static func json(_ tags: [ResourceTag]) -> JSONValue {
        .array(tags.map { ["key": .string($0.key), "value": .string($0.value)] })
    }
}

/// One tag of a resource; a resource's tags keep the order they were first set in.
typealias ResourceTag = (key: String, value: String)
