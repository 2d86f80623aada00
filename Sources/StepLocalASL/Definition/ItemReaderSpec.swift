import StepLocalJSON

/// A Distributed Map's `ItemReader`: where its items come from when they are not in the state's
/// input, an object in S3 (`s3:getObject`, read as JSON, JSON Lines, CSV or an S3 inventory
/// manifest) or a listing of a bucket (`s3:listObjectsV2`), as AWS's "ItemReader (Map)" page
/// describes. The engine reads it through an ``ObjectStore``.
public struct ItemReaderSpec: Sendable {
    /// The S3 action named by `Resource`.
    public enum Action: String, Sendable {
        case getObject = "arn:aws:states:::s3:getObject"
        case listObjectsV2 = "arn:aws:states:::s3:listObjectsV2"
    }

    /// `ReaderConfig.InputType`: how an object's text becomes items.
    public enum InputType: String, Sendable, CaseIterable {
        /// A JSON array; each element is an item.
        case json = "JSON"
        /// JSON Lines: each non-empty line is one item.
        case jsonl = "JSONL"
        /// Delimited text: each row becomes an object from header to (string) value.
        case csv = "CSV"
        /// An S3 inventory `manifest.json`: the rows of the CSV data files it lists.
        case manifest = "MANIFEST"
    }

    /// `ReaderConfig.CSVHeaderLocation`.
    public enum CSVHeaderLocation: String, Sendable {
        case firstRow = "FIRST_ROW"
        case given = "GIVEN"
    }

    /// `ReaderConfig.CSVDelimiter`, with the character each name stands for.
    public enum CSVDelimiter: String, Sendable, CaseIterable {
        case comma = "COMMA", pipe = "PIPE", semicolon = "SEMICOLON", space = "SPACE", tab = "TAB"

        public var character: Character {
            switch self {
            case .comma: ","
            case .pipe: "|"
            case .semicolon: ";"
            case .space: " "
            case .tab: "\t"
            }
        }
    }

    public let action: Action
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket` and `Key`, or `Bucket` and `Prefix`.
    public let parameters: PayloadTemplate?
    /// Nil for `listObjectsV2`, which needs none.
    public let inputType: InputType?
    public let csvHeaderLocation: CSVHeaderLocation
    public let csvHeaders: [String]?
    public let csvDelimiter: CSVDelimiter
    /// `MaxItems` / `MaxItemsPath`: read at most this many items (0 or absent: all of them).
    public let maxItems: NumberSource?

    public init(
        action: Action, parameters: PayloadTemplate?, inputType: InputType?, csvHeaderLocation: CSVHeaderLocation, csvHeaders: [String]?,
        csvDelimiter: CSVDelimiter, maxItems: NumberSource?
    ) {
        self.action = action
        self.parameters = parameters
        self.inputType = inputType
        self.csvHeaderLocation = csvHeaderLocation
        self.csvHeaders = csvHeaders
        self.csvDelimiter = csvDelimiter
        self.maxItems = maxItems
    }
}
