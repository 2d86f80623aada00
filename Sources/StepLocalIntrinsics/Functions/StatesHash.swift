import Crypto
import StepLocalJSON

/// `States.Hash(data, algorithm)`: the lower-case hex digest of the data's UTF-8 bytes with MD5,
/// SHA-1, SHA-256, SHA-384 or SHA-512; AWS limits the data to 10,000 characters.
enum StatesHash: IntrinsicFunctionDefinition {
    static let name = "States.Hash"
    static let signature = IntrinsicSignature(required: [.any, .string])
    static let maximumLength = 10_000
    static let algorithms = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"]

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        // Non-string data is hashed as its JSON text.
        let data = arguments[0].stringValue ?? arguments[0].serialized()
        guard data.count <= maximumLength else {
            throw .invalidArgument(function: name, "the input data exceeds the maximum length of \(maximumLength) characters")
        }
        guard let hex = HashDigest.hex(of: data, algorithm: arguments[1].stringValue ?? "") else {
            throw .invalidArgument(
                function: name,
                "the hash algorithm '\(arguments[1].stringValue ?? "")' is not supported; use one of \(algorithms.joined(separator: ", "))")
        }
        return .string(hex)
    }
}

/// The lower-case hex digest of a string's UTF-8 bytes, shared by `States.Hash` and JSONata's
/// `$hash` (which has no documented length limit, so it does not go through the intrinsic).
public enum HashDigest {
    /// Nil for an algorithm other than MD5, SHA-1, SHA-256, SHA-384 and SHA-512.
    public static func hex(of data: String, algorithm: String) -> String? {
        let bytes = Array(data.utf8)
        let digest: [UInt8]
        switch algorithm {
        case "MD5": digest = Array(Insecure.MD5.hash(data: bytes))
        case "SHA-1": digest = Array(Insecure.SHA1.hash(data: bytes))
        case "SHA-256": digest = Array(SHA256.hash(data: bytes))
        case "SHA-384": digest = Array(SHA384.hash(data: bytes))
        case "SHA-512": digest = Array(SHA512.hash(data: bytes))
        default: return nil
        }
        let hex = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return text
    }
}
