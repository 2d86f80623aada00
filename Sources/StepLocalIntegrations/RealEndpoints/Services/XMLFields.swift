/// The text of every leaf element of an XML document, by element name (the first one wins):
/// enough for the query protocol's flat answers (`<MessageId>`, `<Code>`, `<RequestId>`) and S3's
/// `<Error>`. Read with ``XMLScanner``, so no system XML library is linked.
enum XMLFields {
    static func read(_ bytes: [UInt8]) -> [String: String] {
        var values: [String: String] = [:]
        var text = ""
        for event in XMLScanner.events(bytes) {
            switch event {
            case .start:
                text = ""
            case .text(let more):
                text += more
            case .end(let name):
                let value = text.trimmingWhitespace
                if !value.isEmpty, values[name] == nil { values[name] = value }
                text = ""
            }
        }
        return values
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (XML's whitespace).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
