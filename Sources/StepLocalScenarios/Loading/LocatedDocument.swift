import Foundation
public import StepLocalJSON
import Yams

/// A scenario file parsed into one ``JSONValue`` plus the line of every JSON location, so
/// errors can say "line 14" for YAML and JSON alike (JSON is read as YAML, its superset).
public struct LocatedDocument: Sendable {
    public let file: String
    public let root: JSONValue
    let lines: [String: Int]

    public init(text: String, file: String) throws(ScenarioError) {
        self.file = file
        if let violation = YAMLBudget.violation(in: text) {
            throw ScenarioError(file: file, location: "", line: violation.line, message: violation.message)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .syntax(file, String(describing: error))
        }
        var lines: [String: Int] = [:]
        root = try node.map { n throws(ScenarioError) in try Self.convert(n, at: "", lines: &lines, file: file) } ?? .null
        self.lines = lines
    }

    public func line(_ location: String) -> Int? {
        var location = location
        while true {
            if let line = lines[location] { return line }
            guard let slash = location.lastIndex(of: "/") else { return nil }
            location = String(location[..<slash])
        }
    }

    func error(_ location: String, _ message: String) -> ScenarioError {
        ScenarioError(file: file, location: location, line: line(location), message: message)
    }

    private static func convert(_ node: Node, at location: String, lines: inout [String: Int], file: String) throws(ScenarioError) -> JSONValue {
        if let mark = node.mark { lines[location] = mark.line }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded {
                return .string(scalar.string)
            }
            switch node.tag.description {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return .bool(node.bool ?? false)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                if let parsed = try? JSONValue(parsing: scalar.string), case .number = parsed { return parsed }
                if let value = node.float, value.isFinite { return .double(value) }
                return .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object: JSONObject = [:]
            var merged: [JSONObject] = []
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw ScenarioError(file: file, location: location, line: key.mark?.line, message: "object keys must be strings")
                }
                if name == "<<", key.scalar?.style == .plain {
                    // YAML merge key: `<<: *anchor` copies the anchor's members unless given here.
                    guard case .object(let members) = try convert(value, at: location + "/<<", lines: &lines, file: file) else {
                        throw ScenarioError(file: file, location: location + "/<<", line: value.mark?.line, message: "'<<' merges an object (a mapping anchor)")
                    }
                    merged.append(members)
                    continue
                }
                object[name] = try convert(value, at: location + "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"), lines: &lines, file: file)
            }
            for members in merged {
                for (key, value) in members where object[key] == nil { object[key] = value }
            }
            return .object(object)
        case .sequence(let sequence):
            var array: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                array.append(try convert(element, at: location + "/" + String(index), lines: &lines, file: file))
            }
            return .array(array)
        default:
            throw ScenarioError(file: file, location: location, line: node.mark?.line, message: "unsupported YAML node (aliases are not allowed)")
        }
    }
}
