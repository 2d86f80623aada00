import StepLocalJSON
/// Opaque pagination tokens. A token encodes where the next page starts and which listing it
/// belongs to (hex-encoded, so clients cannot read meaning into it); a token from another
/// listing, or a mangled one, is `InvalidToken` as on AWS.
enum PageToken {
    static func encode(offset: Int, scope: String) -> String {
        let plain = "v1|\(scope)|\(offset)"
        return plain.utf8.map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    static func decode(_ token: String, scope: String) throws(AWSServiceError) -> Int {
        var bytes: [UInt8] = []
        var iterator = token.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = hexValue(high), let l = hexValue(low) else {
                throw .invalidToken("Invalid Token: '\(token)'")
            }
            bytes.append(h << 4 | l)
        }
        // The scope may itself contain "|": the offset is after the last one.
        let plain = String(decoding: bytes, as: UTF8.self)
        let body = plain.dropFirst(3)
        guard plain.hasPrefix("v1|"), let bar = body.lastIndex(of: "|"), body[..<bar] == scope,
            let offset = Int(body[body.index(after: bar)...]), offset >= 0
        else {
            throw .invalidToken("Invalid Token: '\(token)'")
        }
        return offset
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The answer of a List* action: the page of `items` that the request's `maxResults` and
    /// `nextToken` ask for, as `{key: [describe(item)...]}`, with `nextToken` when more remain.
    static func answer<T>(
        _ items: [T], key: String, request: ActionRequest, scope: String, describe: (T) -> JSONValue
    ) throws(AWSServiceError) -> JSONValue {
        let page = try page(items, maxResults: request.int("maxResults"), nextToken: request.string("nextToken"), scope: scope)
        var answer: JSONObject = [key: .array(page.items.map(describe))]
        if let token = page.nextToken { answer["nextToken"] = .string(token) }
        return .object(answer)
    }

    /// Cuts one page out of `items` (AWS: maxResults 0 or absent means 100).
    static func page<T>(_ items: [T], maxResults: Int?, nextToken: String?, scope: String) throws(AWSServiceError) -> (items: [T], nextToken: String?) {
        let start = try nextToken.map { (t: String) throws(AWSServiceError) -> Int in try decode(t, scope: scope) } ?? 0
        let size = (maxResults ?? 0) > 0 ? maxResults! : 100
        guard start < items.count else { return ([], nil) }
        let end = min(items.count, start + size)
        return (Array(items[start..<end]), end < items.count ? encode(offset: end, scope: scope) : nil)
    }
}
