/// Reads the XML that AWS's query and REST-XML protocols answer with (SNS's `<PublishResponse>`,
/// S3's `<ListBucketResult>` and `<Error>`), as a stream of start tags, text and end tags. It exists
/// instead of FoundationXML, whose `XMLParser` links the system's libxml2 and ICU into the static
/// binary the container ships (the image has neither, so the server would not start). These
/// answers are small, well-formed documents without DTDs, so a scanner is enough: it skips the
/// declaration, processing instructions, comments and DOCTYPE, reads CDATA sections as text, and
/// decodes the five predefined entities and character references. Attributes and namespaces are
/// ignored (element names keep any prefix). Malformed input ends the scan early; what was read
/// before stays read.
struct XMLScanner {
    /// What the scanner found, in document order.
    enum Event: Equatable {
        case start(String)
        case text(String)
        case end(String)
    }

    /// Every event of `bytes`, in order.
    static func events(_ bytes: [UInt8]) -> [Event] {
        var events: [Event] = []
        var index = 0
        var text: [UInt8] = []
        func flushText() {
            if !text.isEmpty {
                events.append(.text(decodeEntities(text)))
                text.removeAll(keepingCapacity: true)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "<") else {
                text.append(byte)
                index += 1
                continue
            }
            if starts(bytes, at: index, with: "<![CDATA[") {
                guard let close = find(bytes, "]]>", from: index + 9) else { break }
                text += bytes[(index + 9)..<close].flatMap { $0 == UInt8(ascii: "&") ? Array("&amp;".utf8) : [$0] }
                index = close + 3
                continue
            }
            flushText()
            if starts(bytes, at: index, with: "<!--") {
                guard let close = find(bytes, "-->", from: index + 4) else { break }
                index = close + 3
            } else if starts(bytes, at: index, with: "<?") {
                guard let close = find(bytes, "?>", from: index + 2) else { break }
                index = close + 2
            } else if starts(bytes, at: index, with: "<!") {
                guard let close = find(bytes, ">", from: index + 2) else { break }
                index = close + 1
            } else {
                guard let close = tagEnd(bytes, from: index + 1) else { break }
                var inner = bytes[(index + 1)..<close]
                let closing = inner.first == UInt8(ascii: "/")
                let selfClosing = !closing && inner.last == UInt8(ascii: "/")
                if closing { inner = inner.dropFirst() }
                if selfClosing { inner = inner.dropLast() }
                let name = String(decoding: inner.prefix { !isSpace($0) }, as: UTF8.self)
                if closing {
                    events.append(.end(name))
                } else {
                    events.append(.start(name))
                    if selfClosing { events.append(.end(name)) }
                }
                index = close + 1
            }
        }
        flushText()
        return events
    }

    /// The index of the `>` that ends a tag begun before `start`, skipping quoted attribute values.
    private static func tagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var quote: UInt8?
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func starts(_ bytes: [UInt8], at index: Int, with prefix: String) -> Bool {
        let prefix = Array(prefix.utf8)
        return index + prefix.count <= bytes.count && bytes[index..<(index + prefix.count)].elementsEqual(prefix)
    }

    private static func find(_ bytes: [UInt8], _ needle: String, from start: Int) -> Int? {
        let needle = Array(needle.utf8)
        guard needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// XML's five predefined entities.
    private static let predefinedEntities: [String: String] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;`, `&#NN;` and `&#xNN;` decoded; anything else kept as written.
    static func decodeEntities(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out = ""
        var index = 0
        var run: [UInt8] = []
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&"), let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                run.append(bytes[index])
                index += 1
                continue
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            var decoded = predefinedEntities[entity]
            if decoded == nil, entity.hasPrefix("#") {
                let digits = entity.dropFirst()
                let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                decoded = value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            }
            guard let decoded else {
                run.append(bytes[index])
                index += 1
                continue
            }
            out += String(decoding: run, as: UTF8.self)
            run.removeAll(keepingCapacity: true)
            out += decoded
            index = semicolon + 1
        }
        return out + String(decoding: run, as: UTF8.self)
    }
}
