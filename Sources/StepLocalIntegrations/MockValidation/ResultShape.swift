/// One node of a service's output shape, decoded from the generated tables: what a mocked
/// result must look like at one place. Structures, lists and maps point at other nodes of the
/// same ``ResultShapeTable`` by index, so recursive shapes (DynamoDB's AttributeValue) need no
/// boxes and cost nothing until they are visited.
public indirect enum ResultShape: Sendable, Hashable {
    /// A JSON string.
    case string
    /// A string that must be one of the model's enum values.
    case enumeration([String])
    /// A whole JSON number (`integer`, `long`).
    case integer
    /// Any JSON number (`float`, `double`).
    case number
    /// `true` or `false`.
    case boolean
    /// A point in time: Step Functions writes it as text or as epoch seconds, so either is accepted.
    case timestamp
    /// Binary data, which reaches the state machine as text (base64, or S3's object body).
    case blob
    /// Any JSON value (a `document` member, Lambda's `Payload`, `.sync:2`'s `Output`).
    case any
    /// A JSON array whose items all have the referenced shape.
    case list(ResultShapeReference)
    /// A JSON object with free keys whose values all have the referenced shape.
    case map(ResultShapeReference)
    /// A JSON object with the listed members (PascalCase, as Step Functions returns them).
    case structure([Member])

    /// One member of a structure.
    public struct Member: Sendable, Hashable {
        public var name: String
        public var shape: ResultShapeReference
        public var required: Bool
    }
}

/// Where a shape's member or item points: a primitive written in place, or a node of the table.
public enum ResultShapeReference: Sendable, Hashable {
    case primitive(ResultShape)
    case node(Int)
}
