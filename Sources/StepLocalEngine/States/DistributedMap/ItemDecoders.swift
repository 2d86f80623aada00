import StepLocalASL
import StepLocalJSON

/// Turns an object's bytes, fed a piece at a time, into items for a sink: each item is handed on
/// as soon as its last byte has come, and only the unfinished item's bytes are kept between
/// pieces.
protocol ItemDecoder {
    /// How many items it has handed on.
    var count: Int { get }
    /// MaxItems: how many items to hand on at most (nil: all).
    var limit: Int? { get }
    mutating func feed(_ piece: [UInt8], into sink: ItemDecoding.Sink) throws(StatesError)
    /// The object has ended: what is left must be a whole item (or nothing).
    mutating func finish(into sink: ItemDecoding.Sink) throws(StatesError)
}

extension ItemDecoder {
    /// Whether it wants no more bytes (MaxItems is reached).
    var isDone: Bool { limit.map { count >= $0 } ?? false }
}

extension ItemDecoding {
    /// Reads `object` through `decoder` to its end (or until MaxItems is reached); returns how
    /// many items went to `sink`. Throws the store's ``ObjectStoreError`` or the decoder's `StatesError`.
    static func decode(_ object: any ObjectPieces, with decoder: inout some ItemDecoder, into sink: Sink) async throws -> Int {
        while !decoder.isDone, let piece = try await object.next() {
            try decoder.feed(piece, into: sink)
        }
        if !decoder.isDone { try decoder.finish(into: sink) }
        return decoder.count
    }

    /// The decoder for a `getObject` reader's InputType (MANIFEST objects are read by ``CSVDecoder``s, one per listed file).
    static func decoder(for spec: ItemReaderSpec, limit: Int?, source: String) -> any ItemDecoder {
        switch spec.inputType ?? .json {
        case .jsonl: JSONLinesDecoder(limit: limit, source: source)
        case .csv:
            CSVDecoder(headerLocation: spec.csvHeaderLocation, givenHeaders: spec.csvHeaders, delimiter: spec.csvDelimiter.character, limit: limit, source: source)
        // A MANIFEST object is a JSON manifest read whole; its data files are what stream.
        case .json, .manifest: JSONArrayDecoder(limit: limit, source: source)
        }
    }
}

/// JSON Lines: every non-empty line is one JSON value, one item.
struct JSONLinesDecoder: ItemDecoder {
    let limit: Int?
    let source: String
    /// The bytes of the line not yet ended.
    private var carry: [UInt8] = []
    private var lineNumber = 0
    private(set) var count = 0

    init(limit: Int?, source: String) {
        self.limit = limit
        self.source = source
    }

    mutating func feed(_ piece: [UInt8], into sink: ItemDecoding.Sink) throws(StatesError) {
        carry.append(contentsOf: piece)
        guard let lastBreak = carry.lastIndex(of: UInt8(ascii: "\n")) else { return }
        try decodeLines(carry[..<lastBreak], into: sink)
        carry.removeSubrange(...lastBreak)
    }

    mutating func finish(into sink: ItemDecoding.Sink) throws(StatesError) {
        if !carry.isEmpty { try decodeLines(carry[...], into: sink) }
        carry = []
    }

    private mutating func decodeLines(_ text: ArraySlice<UInt8>, into sink: ItemDecoding.Sink) throws(StatesError) {
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if isDone { return }
            var text = line[...]
            if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
            if text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let item: JSONValue
            do {
                item = try JSONParser.parse(bytes: text)
            } catch {
                throw .itemReaderFailed("Line \(lineNumber) of \(source) is not valid JSON: \(error)")
            }
            try sink(item)
            count += 1
        }
    }
}

/// CSV: each row becomes an object from header to value, every value a string. The headers are
/// the first row (FIRST_ROW) or `CSVHeaders` (GIVEN; an S3 inventory's data files, whose columns
/// its manifest names). A row with fewer fields than headers gives "" for the missing ones; fields
/// beyond the last header are left out (recorded: header row `H1,` over three-field rows). Members
/// come in the order AWS gives them (see ``ItemDecoding/javaHashMapOrder(_:)``).
struct CSVDecoder: ItemDecoder {
    let headerLocation: ItemReaderSpec.CSVHeaderLocation
    let givenHeaders: [String]?
    let delimiter: Character
    let limit: Int?
    let source: String
    /// For an S3 inventory data file: a gzip-compressed one fails loudly.
    var refusesGzip = false
    /// The bytes of the record not yet ended.
    private var carry: [UInt8] = []
    private var atStart = true
    private var headers: [String]?
    private var memberOrder: [Int] = []
    private(set) var count = 0

    init(
        headerLocation: ItemReaderSpec.CSVHeaderLocation, givenHeaders: [String]?, delimiter: Character, limit: Int?, source: String
    ) {
        self.headerLocation = headerLocation
        self.givenHeaders = givenHeaders
        self.delimiter = delimiter
        self.limit = limit
        self.source = source
    }

    /// An S3 inventory data file: CSV rows without a header, named by the manifest's `fileSchema`.
    /// StepLocal reads them uncompressed: a gzip file (as S3 writes inventories) fails loudly.
    static func inventoryRows(columns: [String], limit: Int?, source: String) -> CSVDecoder {
        var decoder = CSVDecoder(headerLocation: .given, givenHeaders: columns, delimiter: ",", limit: limit, source: source)
        decoder.refusesGzip = true
        return decoder
    }

    mutating func feed(_ piece: [UInt8], into sink: ItemDecoding.Sink) throws(StatesError) {
        if atStart, refusesGzip, carry.isEmpty, piece.starts(with: [0x1F, 0x8B]) {
            throw .itemReaderFailed(
                "The inventory file \(source) is gzip-compressed; StepLocal reads S3 inventory files only uncompressed (gunzip it first).")
        }
        carry.append(contentsOf: piece)
        try decode(isComplete: false, into: sink)
    }

    mutating func finish(into sink: ItemDecoding.Sink) throws(StatesError) {
        try decode(isComplete: true, into: sink)
        carry = []
    }

    private mutating func decode(isComplete: Bool, into sink: ItemDecoding.Sink) throws(StatesError) {
        // The records are read first and dropped before the bytes they used go: while they share
        // ``carry``, removing from it would copy it whole.
        let consumed = try decodeRecords(isComplete: isComplete, into: sink)
        if consumed > 0 {
            carry.removeSubrange(..<consumed)
            atStart = false
        }
    }

    /// Hands on the complete records of ``carry``; returns how many of its bytes they took.
    private mutating func decodeRecords(isComplete: Bool, into sink: ItemDecoding.Sink) throws(StatesError) -> Int {
        var records = CSVRecords(carry, delimiter: delimiter, atStart: atStart, isComplete: isComplete)
        if headers == nil {
            if headerLocation == .given {
                try useHeaders(givenHeaders ?? [])
            } else if let first = records.next() {
                guard records.offset <= ItemDecoding.csvHeaderLimit else {
                    throw .itemReaderFailed("The CSV header row of \(source) is larger than 10 KiB, the most Step Functions reads.")
                }
                try useHeaders(first)
            } else {
                // The header row has not ended yet: past 10 KiB it cannot be one AWS reads.
                if carry.count > ItemDecoding.csvHeaderLimit + 3 {
                    throw .itemReaderFailed("The CSV header row of \(source) is larger than 10 KiB, the most Step Functions reads.")
                }
                return records.offset
            }
        }
        guard let headers else { return records.offset }
        while !isDone, let record = records.next() {
            var object = JSONObject()
            for index in memberOrder {
                object[headers[index]] = .string(index < record.count ? record[index] : "")
            }
            try sink(.object(object))
            count += 1
        }
        return records.offset
    }

    private mutating func useHeaders(_ names: [String]) throws(StatesError) {
        // Recorded on AWS (GIVEN headers ["H1", "H1", "H3"]).
        guard Set(names).count == names.count else { throw .itemReaderFailed("CSV headers cannot contain duplicates.") }
        headers = names
        memberOrder = ItemDecoding.javaHashMapOrder(names)
    }
}

/// A JSON file: a top-level array whose elements are the items. The array is read element by
/// element, each parsed once its closing byte has come, so the file is never one JSON value. A
/// file that does not start as an array is read whole, to fail as AWS recorded for one holding an
/// object (or as the parser says, for one that is not JSON).
struct JSONArrayDecoder: ItemDecoder {
    let limit: Int?
    let source: String
    private enum Phase { case beforeArray, inArray, afterArray, notAnArray }
    private var phase = Phase.beforeArray
    /// The bytes not yet read into items: the element being read starts at ``elementStart``.
    private var carry: [UInt8] = []
    private var elementStart = 0
    /// Where scanning resumes in ``carry``, and the scanner's state there.
    private var scanned = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Whether the element being read follows a comma (so it must not be missing).
    private var afterComma = false
    private(set) var count = 0

    init(limit: Int?, source: String) {
        self.limit = limit
        self.source = source
    }

    mutating func feed(_ piece: [UInt8], into sink: ItemDecoding.Sink) throws(StatesError) {
        carry.append(contentsOf: piece)
        try scan(isComplete: false, into: sink)
    }

    mutating func finish(into sink: ItemDecoding.Sink) throws(StatesError) {
        try scan(isComplete: true, into: sink)
        carry = []
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func invalid(_ why: String) -> StatesError {
        .itemReaderFailed("The object \(source) is not valid JSON: \(why)")
    }

    private mutating func scan(isComplete: Bool, into sink: ItemDecoding.Sink) throws(StatesError) {
        defer {
            // What was read goes, once per piece (not once per element, which would copy the rest each time).
            if phase == .inArray || phase == .afterArray, elementStart > 0 {
                carry.removeSubrange(..<elementStart)
                scanned -= elementStart
                elementStart = 0
            }
        }
        while true {
            switch phase {
            case .beforeArray:
                guard let first = carry.firstIndex(where: { !Self.isSpace($0) }) else {
                    if isComplete { try readWhole(into: sink) }
                    return
                }
                if carry[first] == UInt8(ascii: "[") {
                    elementStart = first + 1
                    scanned = elementStart
                    phase = .inArray
                } else {
                    phase = .notAnArray
                }
            case .notAnArray:
                if isComplete { try readWhole(into: sink) }
                return
            case .afterArray:
                if let extra = carry[elementStart...].first(where: { !Self.isSpace($0) }) {
                    throw invalid("unexpected '\(String(decoding: [extra], as: UTF8.self))' after the array's closing bracket")
                }
                elementStart = carry.count
                scanned = elementStart
                return
            case .inArray:
                guard try readElement(into: sink) else {
                    if isComplete { throw invalid("the array is not closed") }
                    return
                }
                if isDone { return }
            }
        }
    }

    /// Reads the next element (or the array's end); false when it has not all come yet.
    private mutating func readElement(into sink: ItemDecoding.Sink) throws(StatesError) -> Bool {
        var index = scanned
        while index < carry.count {
            let byte = carry[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                depth += 1
            } else if (byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")) && depth > 0 {
                depth -= 1
            } else if depth == 0, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                let element = carry[elementStart..<index]
                let isEmpty = element.allSatisfy(Self.isSpace)
                if byte == UInt8(ascii: "]"), isEmpty, !afterComma {
                    // `[]`, or the end after the last element.
                } else if isEmpty {
                    throw invalid("an element is missing before '\(String(decoding: [byte], as: UTF8.self))'")
                } else {
                    let item: JSONValue
                    do {
                        item = try JSONParser.parse(bytes: element)
                    } catch {
                        throw invalid("\(error)")
                    }
                    try sink(item)
                    count += 1
                }
                afterComma = byte == UInt8(ascii: ",")
                if byte == UInt8(ascii: "]") { phase = .afterArray }
                elementStart = index + 1
                scanned = elementStart
                return true
            }
            index += 1
        }
        scanned = index
        return false
    }

    /// A file that does not start as an array, read whole: its items if the parser finds an array
    /// after all, else AWS's answer for a file holding an object, or the parser's for one that is
    /// not JSON.
    private mutating func readWhole(into sink: ItemDecoding.Sink) throws(StatesError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: carry)
        } catch {
            throw invalid("\(error)")
        }
        // Recorded on AWS for a JSON file holding an object.
        guard case .array(let items) = value else { throw .itemReaderFailed("Attempting to map over non-iterable node.") }
        for item in items where !isDone {
            try sink(item)
            count += 1
        }
    }
}
