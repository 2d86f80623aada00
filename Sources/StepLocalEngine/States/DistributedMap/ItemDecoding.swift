import StepLocalASL
import StepLocalJSON

/// Turns the bytes of an S3 object into a Distributed Map's items, per `ReaderConfig.InputType`,
/// as AWS's "ItemReader (Map)" page describes each input type. Every failure is
/// `States.ItemReaderFailed`; the causes AWS recorded are quoted where they apply.
///
/// Each decoder hands its items to `sink` one at a time, as it reads them, and returns how many
/// it handed: the caller turns each into a child's input before the next is built, so the items
/// are never all values at once (a 1,000,000-row CSV would be 800 MB of them).
enum ItemDecoding {
    /// Where a decoder puts each item it reads.
    typealias Sink = (JSONValue) throws(StatesError) -> Void

    /// AWS reads CSV header rows of up to 10 KiB ("Currently, Step Functions supports CSV headers of up to 10 KiB").
    static let csvHeaderLimit = 10_240

    /// A JSON file: a top-level array whose elements are the items.
    @discardableResult
    static func json(_ bytes: [UInt8], limit: Int?, source: String, into sink: Sink) throws(StatesError) -> Int {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            throw .itemReaderFailed("The object \(source) is not valid JSON: \(error)")
        }
        // Recorded on AWS for a JSON file holding an object.
        guard case .array(let items) = value else { throw .itemReaderFailed("Attempting to map over non-iterable node.") }
        let kept = limit.map { items.prefix($0) } ?? items[...]
        for item in kept { try sink(item) }
        return kept.count
    }

    /// JSON Lines: every non-empty line is one JSON value, one item.
    @discardableResult
    static func jsonLines(_ bytes: [UInt8], limit: Int?, source: String, into sink: Sink) throws(StatesError) -> Int {
        var count = 0
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if let limit, count >= limit { break }
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
        return count
    }

    /// CSV: each row becomes an object from header to value, every value a string. The headers
    /// are the first row (FIRST_ROW) or `CSVHeaders` (GIVEN). A row with fewer fields than headers
    /// gives "" for the missing ones; fields beyond the last header are left out (recorded: header
    /// row `H1,` over three-field rows). Members come in the order AWS gives them (see
    /// ``javaHashMapOrder(_:)``).
    @discardableResult
    static func csv(
        _ bytes: [UInt8], headerLocation: ItemReaderSpec.CSVHeaderLocation, givenHeaders: [String]?, delimiter: Character,
        limit: Int?, source: String, into sink: Sink
    ) throws(StatesError) -> Int {
        var records = CSVRecords(bytes, delimiter: delimiter)
        let headers: [String]
        if headerLocation == .given {
            headers = givenHeaders ?? []
        } else {
            guard let first = records.next() else { return 0 }
            guard records.offset <= csvHeaderLimit else {
                throw .itemReaderFailed("The CSV header row of \(source) is larger than 10 KiB, the most Step Functions reads.")
            }
            headers = first
        }
        // Recorded on AWS (GIVEN headers ["H1", "H1", "H3"]).
        guard Set(headers).count == headers.count else { throw .itemReaderFailed("CSV headers cannot contain duplicates.") }
        let memberOrder = javaHashMapOrder(headers)
        var count = 0
        while let record = records.next() {
            if let limit, count >= limit { break }
            var object = JSONObject()
            for index in memberOrder {
                object[headers[index]] = .string(index < record.count ? record[index] : "")
            }
            try sink(.object(object))
            count += 1
        }
        return count
    }

    /// The order in which Java's `HashMap` iterates `keys` inserted in this order, as indices into
    /// `keys`. AWS builds each CSV row as such a map: the recordings show rows of headers `0,True,{}`
    /// as `{"0":…,"{}":…,"True":…}` and of `H1,` as `{"":…,"H1":…}`, which is this order, while
    /// `Col1,Col2,Col3` happen to keep theirs. A key's bucket is `(h ^ h >>> 16) & (capacity - 1)`
    /// for its `String.hashCode` h (31-based over UTF-16 units); the capacity starts at 16 and
    /// doubles while the keys are more than three quarters of it; a bucket keeps insertion order.
    /// (Java turns a bucket of nine or more colliding keys into a tree, whose order this does not
    /// follow: headers that collide so are not expected.)
    static func javaHashMapOrder(_ keys: [String]) -> [Int] {
        var capacity = 16
        while keys.count > capacity / 4 * 3 { capacity *= 2 }
        let buckets = keys.map { key -> UInt32 in
            var hash: Int32 = 0
            for unit in key.utf16 { hash = hash &* 31 &+ Int32(unit) }
            let bits = UInt32(bitPattern: hash)
            return (bits ^ (bits >> 16)) & UInt32(capacity - 1)
        }
        return keys.indices.sorted { (buckets[$0], $0) < (buckets[$1], $1) }
    }

    /// The items of an `s3:listObjectsV2` reader: the metadata AWS gives each child, `LastModified`
    /// in seconds since 1970 ("ItemReader (Map)", the listObjectsV2 example).
    @discardableResult
    static func listing(_ objects: [StoredObjectSummary], limit: Int?, into sink: Sink) throws(StatesError) -> Int {
        let chosen = limit.map { objects.prefix($0) } ?? objects[...]
        for object in chosen {
            try sink([
                "Etag": .string(object.etag), "Key": .string(object.key), "LastModified": .int(Int(object.lastModified.millisecondsSince1970 / 1000)),
                "Size": .int(object.size), "StorageClass": .string(object.storageClass),
            ])
        }
        return chosen.count
    }

    /// An S3 inventory `manifest.json`: where its data files are, and the columns of their rows.
    struct InventoryManifest {
        var bucket: String
        var fileKeys: [String]
        var columns: [String]
    }

    /// Reads an S3 inventory manifest (`sourceBucket`, `destinationBucket`, `fileFormat`,
    /// `fileSchema`, `files[].key`). Only the CSV format is read, as AWS's ItemReader reads only CSV inventories.
    static func inventoryManifest(_ bytes: [UInt8], source: String) throws(StatesError) -> InventoryManifest {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            throw .itemReaderFailed("The manifest \(source) is not valid JSON: \(error)")
        }
        guard let destination = value["destinationBucket"]?.stringValue, let schema = value["fileSchema"]?.stringValue,
              case .array(let files)? = value["files"]
        else {
            throw .itemReaderFailed("The manifest \(source) is not an S3 inventory manifest (it needs destinationBucket, fileSchema and files)")
        }
        let format = value["fileFormat"]?.stringValue ?? "CSV"
        guard format == "CSV" else {
            throw .itemReaderFailed("The manifest \(source) lists \(format) files; a MANIFEST ItemReader reads CSV inventories only.")
        }
        // `arn:aws:s3:::name` or a plain bucket name.
        let bucket = ARN(destination)?.resource.last ?? destination
        let keys = files.compactMap { $0["key"]?.stringValue }
        let columns = schema.split(separator: ",").map { String($0).trimmingCharactersInSpaces() }
        return InventoryManifest(bucket: bucket, fileKeys: keys, columns: columns)
    }

    /// One inventory data file: CSV rows without a header, named by the manifest's `fileSchema`.
    /// StepLocal reads them uncompressed: a gzip file (as S3 writes inventories) fails loudly.
    @discardableResult
    static func inventoryRows(_ bytes: [UInt8], columns: [String], limit: Int?, source: String, into sink: Sink) throws(StatesError) -> Int {
        if bytes.starts(with: [0x1F, 0x8B]) {
            throw .itemReaderFailed(
                "The inventory file \(source) is gzip-compressed; StepLocal reads S3 inventory files only uncompressed (gunzip it first).")
        }
        return try csv(bytes, headerLocation: .given, givenHeaders: columns, delimiter: ",", limit: limit, source: source, into: sink)
    }
}

extension String {
    fileprivate func trimmingCharactersInSpaces() -> String {
        var text = self[...]
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
