/// One shape of the Step Functions service model, as botocore describes it. The generated
/// tables in `Generated/` are made of these, and ``RequestValidator`` walks a request body
/// against them, so every constraint AWS enforces comes from AWS's own model.
enum Shape: Sendable {
    case structure([ShapeMember])
    case string(StringShape)
    /// `integer` and `long` shapes.
    case integer(NumberShape)
    /// `float` and `double` shapes.
    case float(NumberShape)
    case boolean
    case timestamp
    case list(ListShape)
    case map(MapShape)
}

/// A member of a structure shape: its wire name, its shape and whether AWS requires it.
struct ShapeMember: Sendable {
    var name: String
    var shape: String
    var required: Bool

    init(_ name: String, shape: String, required: Bool) {
        self.name = name
        self.shape = shape
        self.required = required
    }
}

/// Length, pattern and enum constraints of a string shape. Sensitive values are left out of
/// validation messages, as AWS does.
struct StringShape: Sendable {
    var min: Int?
    var max: Int?
    var pattern: String?
    var enumValues: [String]?
    var sensitive: Bool
}

/// Range constraints of a numeric shape.
struct NumberShape: Sendable {
    var min: Double?
    var max: Double?
    var sensitive: Bool

    init(min: Double?, max: Double?, sensitive: Bool) {
        self.min = min
        self.max = max
        self.sensitive = sensitive
    }
}

/// A list shape: the shape of its members and its length limits.
struct ListShape: Sendable {
    var member: String
    var min: Int?
    var max: Int?
}

/// A map shape: key and value shapes and its size limits.
struct MapShape: Sendable {
    var key: String
    var value: String
    var min: Int?
    var max: Int?
}
