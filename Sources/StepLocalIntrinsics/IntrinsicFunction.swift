/// The 18 intrinsic functions of the JSONPath query language, by their AWS names.
enum IntrinsicFunction: String, Sendable, CaseIterable {
    case format = "States.Format"
    case stringToJson = "States.StringToJson"
    case jsonToString = "States.JsonToString"
    case array = "States.Array"
    case arrayPartition = "States.ArrayPartition"
    case arrayContains = "States.ArrayContains"
    case arrayRange = "States.ArrayRange"
    case arrayGetItem = "States.ArrayGetItem"
    case arrayLength = "States.ArrayLength"
    case arrayUnique = "States.ArrayUnique"
    case base64Encode = "States.Base64Encode"
    case base64Decode = "States.Base64Decode"
    case hash = "States.Hash"
    case jsonMerge = "States.JsonMerge"
    case mathRandom = "States.MathRandom"
    case mathAdd = "States.MathAdd"
    case stringSplit = "States.StringSplit"
    case uuid = "States.UUID"

    var definition: any IntrinsicFunctionDefinition.Type {
        switch self {
        case .format: StatesFormat.self
        case .stringToJson: StatesStringToJson.self
        case .jsonToString: StatesJsonToString.self
        case .array: StatesArray.self
        case .arrayPartition: StatesArrayPartition.self
        case .arrayContains: StatesArrayContains.self
        case .arrayRange: StatesArrayRange.self
        case .arrayGetItem: StatesArrayGetItem.self
        case .arrayLength: StatesArrayLength.self
        case .arrayUnique: StatesArrayUnique.self
        case .base64Encode: StatesBase64Encode.self
        case .base64Decode: StatesBase64Decode.self
        case .hash: StatesHash.self
        case .jsonMerge: StatesJsonMerge.self
        case .mathRandom: StatesMathRandom.self
        case .mathAdd: StatesMathAdd.self
        case .stringSplit: StatesStringSplit.self
        case .uuid: StatesUUID.self
        }
    }
}
