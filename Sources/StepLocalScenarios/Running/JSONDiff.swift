import StepLocalJSON

/// Readable differences between an expected and an actual JSON value, one line per
/// difference with its JSONPath (`$.order.items[1].sku: expected "A", got "B"`). In subset
/// mode, members the expectation does not mention are ignored.
public enum JSONDiff {
    public static func differences(expected: JSONValue, actual: JSONValue, subset: Bool) -> [String] {
        var lines: [String] = []
        compare(expected, actual, path: "$", subset: subset, into: &lines)
        return lines
    }

    private static func compare(_ expected: JSONValue, _ actual: JSONValue, path: String, subset: Bool, into lines: inout [String]) {
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            for (key, value) in e {
                let child = path + member(key)
                if let other = a[key] {
                    compare(value, other, path: child, subset: subset, into: &lines)
                } else {
                    lines.append("\(child): expected \(show(value)), but it is missing")
                }
            }
            if !subset {
                for (key, value) in a where e[key] == nil {
                    lines.append("\(path + member(key)): unexpected member with value \(show(value))")
                }
            }
        case (.array(let e), .array(let a)):
            if e.count != a.count, !subset || e.count > a.count {
                lines.append("\(path): expected \(e.count) elements, got \(a.count)")
            }
            for index in 0..<min(e.count, a.count) {
                compare(e[index], a[index], path: "\(path)[\(index)]", subset: subset, into: &lines)
            }
        default:
            if expected != actual {
                lines.append("\(path): expected \(show(expected)), got \(show(actual))")
            }
        }
    }

    private static func member(_ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(key.first?.isNumber ?? true)
        return plain ? "." + key : "['" + key.replacingOccurrences(of: "'", with: "\\'") + "']"
    }

    static func show(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 200 ? String(text.prefix(197)) + "..." : text
    }
}
