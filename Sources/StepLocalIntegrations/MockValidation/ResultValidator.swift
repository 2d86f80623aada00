public import StepLocalJSON

/// Checks a mocked Task result against the integrated service's output shape, in one of AWS's
/// ``FieldValidationMode``s, and returns every problem found (up to ``maximumProblems``), so a
/// mock with three mistakes is fixed in one round.
///
/// Unknown members are errors for mock files and scenario files (a typo such as `Paylod` would
/// otherwise pass silently). AWS's TestState lets them through "for forward compatibility" (as
/// recorded on AWS in LocalStack's `test_field_validation_mode_present.py` snapshots), so
/// TestState asks for ``UnknownMembers/allow``.
public struct ResultValidator: Sendable {
    /// What to do with a member the shape does not define.
    public enum UnknownMembers: Sendable, Hashable {
        case reject
        case allow
    }

    public static let maximumProblems = 20

    public var mode: FieldValidationMode
    public var unknownMembers: UnknownMembers

    public init(mode: FieldValidationMode, unknownMembers: UnknownMembers = .reject) {
        self.mode = mode
        self.unknownMembers = unknownMembers
    }

    /// The problems of `result` as the answer of `resource`; empty when it conforms, when the mode
    /// is NONE, or when StepLocal has no shape for the resource (see ``ResultShapeTables``).
    public func problems(_ result: JSONValue, resource: String) -> [ResultFieldProblem] {
        guard mode != .none, let selection = ResultShapeTables.selection(forResource: resource) else { return [] }
        return problems(result, selection: selection)
    }

    public func problems(_ result: JSONValue, selection: ResultShapeTables.Selection) -> [ResultFieldProblem] {
        guard mode != .none else { return [] }
        var walk = Walk(validator: self, selection: selection)
        walk.check(result, selection.root, path: "$", field: "$")
        return walk.found
    }

    private struct Walk {
        let validator: ResultValidator
        let selection: ResultShapeTables.Selection
        var found: [ResultFieldProblem] = []

        mutating func report(_ path: String, _ field: String, _ kind: ResultFieldProblem.Kind) {
            if found.count < ResultValidator.maximumProblems { found.append(ResultFieldProblem(path: path, field: field, kind: kind)) }
        }

        mutating func check(_ value: JSONValue, _ reference: ResultShapeReference, path: String, field: String) {
            guard found.count < ResultValidator.maximumProblems else { return }
            switch selection.table.shape(reference) {
            case .any:
                return
            case .string:
                if value.stringValue == nil { report(path, field, .wrongType(expected: "a string", found: value.typeName)) }
            case .blob:
                if value.stringValue == nil { report(path, field, .wrongType(expected: "a string (binary data as text)", found: value.typeName)) }
            case .enumeration(let allowed):
                guard let text = value.stringValue else { return report(path, field, .wrongType(expected: "a string", found: value.typeName)) }
                if !allowed.contains(text) { report(path, field, .notInEnum(allowed: allowed)) }
            case .integer:
                guard let number = value.numberValue, number.isInteger else {
                    return report(path, field, .wrongType(expected: "a whole number", found: value.typeName))
                }
            case .number:
                if value.numberValue == nil { report(path, field, .wrongType(expected: "a number", found: value.typeName)) }
            case .boolean:
                if value.boolValue == nil { report(path, field, .wrongType(expected: "a boolean", found: value.typeName)) }
            case .timestamp:
                // Step Functions renders SDK timestamps as text or as epoch numbers depending on the integration.
                if value.stringValue == nil && value.numberValue == nil {
                    report(path, field, .wrongType(expected: "a timestamp (a string or a number)", found: value.typeName))
                }
            case .list(let item):
                guard let items = value.arrayValue else { return report(path, field, .wrongType(expected: "an array", found: value.typeName)) }
                for (index, element) in items.enumerated() { check(element, item, path: "\(path)[\(index)]", field: field) }
            case .map(let member):
                guard let object = value.objectValue else { return report(path, field, .wrongType(expected: "an object", found: value.typeName)) }
                for (key, element) in object { check(element, member, path: path + Self.step(key), field: key) }
            case .structure(let members):
                guard let object = value.objectValue else { return report(path, field, .wrongType(expected: "an object", found: value.typeName)) }
                for (key, element) in object {
                    if let member = members.first(where: { $0.name == key }) {
                        check(element, member.shape, path: path + Self.step(key), field: key)
                    } else if validator.unknownMembers == .reject {
                        report(path + Self.step(key), key, .unknownMember(
                            integration: selection.integration, suggestion: Self.suggestion(for: key, among: members.map(\.name))))
                    }
                }
                if validator.mode == .strict {
                    for member in members where member.required && object[member.name] == nil {
                        report(path + Self.step(member.name), member.name, .missingRequired(integration: selection.integration))
                    }
                }
            }
        }

        /// `.Name` for identifier-like keys, `['odd key']` otherwise.
        static func step(_ key: String) -> String {
            let plain = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                && !(key.first?.isNumber ?? true)
            return plain ? "." + key : "['" + key.replacingOccurrences(of: "'", with: "\\'") + "']"
        }

        /// The member a typo most likely meant: same letters in another case, else within two edits.
        static func suggestion(for key: String, among names: [String]) -> String? {
            if let same = names.first(where: { $0.lowercased() == key.lowercased() }) { return same }
            let limit = key.count < 4 ? 1 : 2
            return names.map { ($0, distance(key.lowercased(), $0.lowercased())) }
                .filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
        }

        static func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
            var previous = Array(0...b.count)
            for i in 1...a.count {
                var current = [i] + Array(repeating: 0, count: b.count)
                for j in 1...b.count {
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                previous = current
            }
            return previous[b.count]
        }
    }
}
