public import StepLocalJSON

/// ResultPath writes: placing a state's result into its input at a reference path.
extension JSONPath {
    /// Returns `target` with `value` placed at this (definite, `$`-rooted) path, creating missing
    /// intermediate objects. Throws ``JSONPathError/Kind/resultPathMatchFailure`` when a step
    /// crosses a value that is not an object (or an array index that does not exist).
    public func assigning(_ value: JSONValue, into target: consuming JSONValue) throws(JSONPathError) -> JSONValue {
        try assign(value, into: &target)
        return target
    }

    /// In-place form of ``assigning(_:into:)``: when the caller owns `target` uniquely, only the
    /// containers along the path are touched. On failure `target` is left unchanged.
    public func assign(_ value: JSONValue, into target: inout JSONValue) throws(JSONPathError) {
        guard isDefinite, root == .input else {
            throw JSONPathError(
                kind: .notAReferencePath, message: "A ResultPath must be a reference path starting with '$'", path: text)
        }
        try check(target)
        Self.write(value, into: &target, segments[...])
    }

    /// Validates the whole write before anything is mutated.
    private func check(_ target: JSONValue) throws(JSONPathError) {
        var current: JSONValue? = target
        for segment in segments.dropLast() {
            switch (segment, current) {
            case (.name, nil):
                continue  // created as an object
            case (.name(let name), .object(let object)?):
                current = object[name]
            case (.index(let index), .array(let array)?) where JSONPathEvaluator.element(array, index) != nil:
                current = JSONPathEvaluator.element(array, index)
            default:
                throw matchFailure(target)
            }
        }
        switch (segments.last, current) {
        case (nil, _), (.name, nil), (.name, .object?):
            return
        case (.index(let index), .array(let array)?) where JSONPathEvaluator.element(array, index) != nil:
            return
        default:
            throw matchFailure(target)
        }
    }

    private func matchFailure(_ target: JSONValue) -> JSONPathError {
        JSONPathError(
            kind: .resultPathMatchFailure,
            message: "Unable to apply ReferencePath \(text) to input \(target.serialized())",
            path: text)
    }

    /// Writes after ``check(_:)`` passed, so it cannot fail.
    private static func write(_ value: JSONValue, into target: inout JSONValue, _ rest: ArraySlice<JSONPathSegment>) {
        guard let first = rest.first else {
            target = value
            return
        }
        switch first {
        case .name(let name):
            var object: JSONObject
            if case .object(let existing) = target { object = existing } else { object = JSONObject() }
            target = .null  // drop our second reference so `object` mutates in place
            var child = object[name] ?? .null
            object[name] = .null
            write(value, into: &child, rest.dropFirst())
            object[name] = child
            target = .object(object)
        case .index(let index):
            guard case .array(var array) = target else { return }
            target = .null
            let effective = index < 0 ? array.count + index : index
            var child = array[effective]
            array[effective] = .null
            write(value, into: &child, rest.dropFirst())
            array[effective] = child
            target = .array(array)
        default:
            return
        }
    }
}
