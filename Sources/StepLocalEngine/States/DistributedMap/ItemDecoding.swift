import StepLocalASL
import StepLocalJSON

/// Turns the bytes of an S3 object into a Distributed Map's items, per `ReaderConfig.InputType`,
/// as AWS's "ItemReader (Map)" page describes each input type. Every failure is
/// `States.ItemReaderFailed`; the causes AWS recorded are quoted where they apply.
///
/// The decoders (``ItemDecoder``) take the object a piece at a time and hand each item to a sink
/// as soon as it is complete: the caller turns it into a child's input before the next is built,
/// so neither the object nor its items are ever whole in memory (a 1,000,000-row CSV as one value
/// took 800 MB).
enum ItemDecoding {
    /// Where a decoder puts each item it reads.
    typealias Sink = (JSONValue) throws(StatesError) -> Void

    /// AWS reads CSV header rows of up to 10 KiB ("Currently, Step Functions supports CSV headers of up to 10 KiB").
    static let csvHeaderLimit = 10_240

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
}

extension String {
    fileprivate func trimmingCharactersInSpaces() -> String {
        var text = self[...]
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
