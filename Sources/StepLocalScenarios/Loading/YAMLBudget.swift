import CYaml

/// Limits a scenario file must stay within before Yams builds its tree: how deep it nests and
/// how many values it stands for once its aliases are expanded (its size is bounded when it is
/// read, by ``ConfigurationFileText``). Yams composes
/// recursively and our conversion copies every alias, so a file nested 10,000 deep crashed
/// `steplocal test` and `serve --scenarios` (stack overflow) and an alias bomb ("billion laughs":
/// each anchor repeating the previous one ten times) hung them. The check reads libyaml's events
/// once, without recursion, counting what each anchor expands to, and names the line at fault.
struct YAMLBudget {
    /// Real scenario files nest a few levels (an inline definition perhaps 20); 10,000 overflowed.
    static let maximumDepth = 256
    /// Values (scalars, sequences, mappings) after alias expansion: far above a scenario with
    /// 10,000-item inputs, far below what takes more than a moment to build.
    static let maximumExpandedValues = 1_000_000

    /// Why `text` exceeds the budget, with its 1-based line; nil when it fits (or is not valid
    /// YAML: the parser that follows reports that, with its own wording).
    static func violation(in text: String) -> (line: Int, message: String)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var walk = Walk()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    walk.value(anchor: string(event.data.scalar.anchor), size: 1, depth: 0)
                case YAML_ALIAS_EVENT:
                    if let anchor = string(event.data.alias.anchor), let expansion = walk.anchors[anchor] {
                        walk.value(anchor: nil, size: expansion.size, depth: expansion.depth)
                    }
                case YAML_SEQUENCE_START_EVENT:
                    walk.open(anchor: string(event.data.sequence_start.anchor))
                case YAML_MAPPING_START_EVENT:
                    walk.open(anchor: string(event.data.mapping_start.anchor))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    walk.close()
                default:
                    continue
                }
                if walk.deepest > maximumDepth {
                    return (line, "nests deeper than \(maximumDepth) levels (aliases included)")
                }
                if walk.values > maximumExpandedValues {
                    return (line, "stands for more than \(maximumExpandedValues) values once its aliases are expanded")
                }
            }
        }
    }

    /// The running totals of one pass over the events.
    private struct Walk {
        struct Open {
            var anchor: String?
            var valuesBefore: Int
            var deepestInside: Int
        }

        var anchors: [String: (size: Int, depth: Int)] = [:]
        var open: [Open] = []
        var values = 0
        var deepest = 0

        /// A scalar, or an alias standing for `size` values nested `depth` levels below it.
        mutating func value(anchor: String?, size: Int, depth: Int) {
            values += size
            reach(open.count + depth)
            if let anchor { anchors[anchor] = (size, 0) }
        }

        mutating func open(anchor: String?) {
            values += 1
            open.append(Open(anchor: anchor, valuesBefore: values - 1, deepestInside: open.count + 1))
            reach(open.count)
        }

        mutating func close() {
            guard let closed = open.popLast() else { return }
            if let anchor = closed.anchor {
                anchors[anchor] = (values - closed.valuesBefore, closed.deepestInside - open.count)
            }
            if !open.isEmpty { open[open.count - 1].deepestInside = max(open[open.count - 1].deepestInside, closed.deepestInside) }
        }

        /// Records that a value sits `level` collections deep (1 = inside the root collection).
        private mutating func reach(_ level: Int) {
            deepest = max(deepest, level)
            if !open.isEmpty { open[open.count - 1].deepestInside = max(open[open.count - 1].deepestInside, level) }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
