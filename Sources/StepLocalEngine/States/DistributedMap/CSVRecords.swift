/// Splits delimited text into records the way a Distributed Map's CSV ItemReader does: fields
/// separated by one delimiter character, records by LF or CRLF, a field in double quotes may
/// hold delimiters, line breaks and doubled quotes (RFC 4180). Values stay text: AWS hands every
/// CSV value to the child as a string ("ItemReader (Map)"). Empty lines are skipped.
///
/// Read a piece at a time, the text may end inside a record: with `isComplete` false such a
/// record is left for the next piece (``offset`` is where it starts) instead of read short.
struct CSVRecords: Sequence, IteratorProtocol {
    private var bytes: [UInt8]
    private var position = 0
    private let delimiter: UInt8
    private let isComplete: Bool

    /// `atStart`: the text begins the object (a byte order mark there is skipped).
    init(_ bytes: [UInt8], delimiter: Character, atStart: Bool = true, isComplete: Bool = true) {
        self.bytes = bytes
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.isComplete = isComplete
        // A UTF-8 byte order mark is not part of the first header.
        if atStart, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Where the next record starts: the byte length of what was read so far.
    var offset: Int { position }

    mutating func next() -> [String]? {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        // Skip empty lines.
        while position < bytes.count, bytes[position] == lf || bytes[position] == cr { position += 1 }
        guard position < bytes.count else { return nil }
        let start = position
        var ended = false
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while position < bytes.count {
            let byte = bytes[position]
            if quoted {
                if byte == quote {
                    if position + 1 < bytes.count, bytes[position + 1] == quote {
                        field.append(quote)
                        position += 2
                        continue
                    }
                    quoted = false
                } else {
                    field.append(byte)
                }
                position += 1
                continue
            }
            if byte == quote, field.isEmpty {
                quoted = true
            } else if byte == delimiter {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == lf || byte == cr {
                position += 1
                if byte == cr, position < bytes.count, bytes[position] == lf { position += 1 }
                ended = true
                break
            } else {
                field.append(byte)
            }
            position += 1
        }
        if !ended, !isComplete {
            position = start
            return nil
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
