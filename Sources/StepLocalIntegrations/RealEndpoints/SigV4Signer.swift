import Crypto
public import Foundation
import StepLocalJSON

/// Signs an HTTP request with AWS Signature Version 4, the way the AWS SDKs sign the calls a
/// Task makes. It exists because real endpoints (DynamoDB Local, LocalStack, moto, real AWS)
/// refuse or mis-route unsigned requests: the credential scope tells them the region and
/// service, and the ones that check signatures check this one.
///
/// The steps are AWS's, each exposed so tests can compare them with AWS's published examples
/// (the SigV4 test suite's `get-vanilla`, `post-x-www-form-urlencoded`, `post-sts-header-before`
/// and the IAM ListUsers example of "Create a signed AWS API request"):
/// canonical request → string to sign → signing key → signature → `Authorization` header.
/// Time is a parameter (`date`), never read here.
public struct SigV4Signer: Sendable {
    /// An access key pair, and the session token of temporary credentials.
    public struct Credentials: Sendable, Equatable {
        public var accessKeyId: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }
    }

    /// Everything one signing produced: the intermediate texts (for tests and debugging) and
    /// the headers to send, in the order given, followed by the ones signing added.
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        /// Lower-case hex of the final HMAC.
        public var signature: String
        /// `host;x-amz-date;...`: the names of the signed headers, sorted.
        public var signedHeaders: String
        /// The `Authorization` header's value.
        public var authorization: String
        /// The request's headers plus `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials
        /// have one and the request did not) and `Authorization`.
        public var headers: [(name: String, value: String)]

        public static func == (lhs: Signature, rhs: Signature) -> Bool {
            lhs.canonicalRequest == rhs.canonicalRequest && lhs.stringToSign == rhs.stringToSign && lhs.signature == rhs.signature
                && lhs.authorization == rhs.authorization && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 })
        }
    }

    public var credentials: Credentials
    public var region: String
    /// The signing name: `dynamodb`, `sqs`, `sns`, `lambda`, `states`, ...
    public var service: String

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs one request.
    /// - Parameters:
    ///   - path: the path as sent on the wire (already percent-encoded, e.g.
    ///     `/2015-03-31/functions/arn%3Aaws%3A.../invocations`); it is encoded once more for the
    ///     canonical request, as AWS requires for every service but S3.
    ///   - query: name/value pairs, not encoded.
    ///   - headers: must include `Host`. An `X-Amz-Date` already present is signed as given.
    ///   - encodesPathAgain: false for S3, whose canonical request holds the wire path as it is.
    public func sign(
        method: String, path: String, query: [(String, String)] = [], headers: [(name: String, value: String)],
        body: some Collection<UInt8>, date: Date, encodesPathAgain: Bool = true
    ) -> Signature {
        let amzDate = Self.amzDate(date)
        var headers = headers
        if !headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) { headers.append(("X-Amz-Date", amzDate)) }
        if let token = credentials.sessionToken, !headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" }) {
            headers.append(("X-Amz-Security-Token", token))
        }
        let signingDate = headers.first { $0.name.lowercased() == "x-amz-date" }!.value
        let day = String(signingDate.prefix(8))
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [
            method.uppercased(), encodesPathAgain ? Self.canonicalURI(path) : (path.isEmpty ? "/" : path), Self.canonicalQuery(query),
            canonicalHeaders, signedHeaders,
            Self.hexSHA256(body),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", signingDate, scope, Self.hexSHA256(Array(canonicalRequest.utf8))].joined(separator: "\n")
        let key = Self.signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: SymmetricKey(data: key)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append(("Authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, signedHeaders: signedHeaders,
            authorization: authorization, headers: headers)
    }

    // MARK: - The steps

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    public static func signingKey(secret: String, day: String, region: String, service: String) -> [UInt8] {
        var key = Array(("AWS4" + secret).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: SymmetricKey(data: key)))
        }
        return key
    }

    /// `20150830T123600Z`: the request's time in UTC, to the second.
    public static func amzDate(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let within = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)\(two(month))\(two(day))T\(two(within / 3600))\(two(within / 60 % 60))\(two(within % 60))Z"
    }

    /// Each path segment URI-encoded (again): AWS signs the encoded form of the wire path for
    /// every service but S3. An empty path is `/`.
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }.joined(separator: "/")
    }

    /// Names and values encoded, then sorted by name and value (byte order), joined with `&`.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0), uriEncode($0.1)) }
            .sorted { $0.0 == $1.0 ? Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Lower-case names, sorted; values trimmed with inner runs of spaces collapsed; repeated
    /// names joined with commas. Returns the block (each line ending in a newline) and the list.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(trimmed)
        }
        let names = merged.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let block = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    /// RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - _ . ~`, in upper-case hex.
    public static func uriEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 15)])
            }
        }
        return out
    }

    public static func hexSHA256(_ bytes: some Collection<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var out = ""
        for byte in bytes {
            out.unicodeScalars.append(digits[Int(byte >> 4)])
            out.unicodeScalars.append(digits[Int(byte & 15)])
        }
        return out
    }
}
