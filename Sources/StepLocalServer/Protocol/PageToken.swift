import StepLocalASL
import StepLocalJSON

/// Opaque pagination tokens. A token names the listing it belongs to and the **position** of the
/// last item it returned in that listing's stable order (a creation sequence number, a version
/// number, an event id), never an offset: items created or deleted between two pages neither
/// repeat nor go missing, as with AWS's tokens. It also carries when it was issued, because
/// AWS's tokens expire after 24 hours. It is hex-encoded, so clients cannot read meaning into it;
/// a token from another listing, an expired or a mangled one is `InvalidToken` as on AWS.
enum PageToken {
    /// AWS: "Each pagination token expires after 24 hours."
    static let lifetimeMilliseconds: Int64 = 24 * 3_600_000

    /// The token resuming `scope` after the item at `position`.
    static func encode(position: String, scope: String, issuedAt: Timestamp) -> String {
        let plain = "v2|\(issuedAt.millisecondsSince1970)|\(position)|\(scope)"
        return plain.utf8.map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// The position `token` resumes after, when it was issued for `scope` less than 24 hours before `now`.
    static func decode(_ token: String, scope: String, now: Timestamp) throws(AWSServiceError) -> String {
        var bytes: [UInt8] = []
        var iterator = token.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = hexValue(high), let l = hexValue(low) else {
                throw .invalidToken("Invalid Token: '\(token)'")
            }
            bytes.append(h << 4 | l)
        }
        // "v2|issued|position|scope": positions never contain "|", scopes may.
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "v2", let issued = Int64(fields[1]), fields[3] == scope else {
            throw .invalidToken("Invalid Token: '\(token)'")
        }
        guard now.millisecondsSince1970 - issued <= lifetimeMilliseconds else {
            throw .invalidToken("Invalid Token: '\(token)': the pagination token has expired")
        }
        return String(fields[2])
    }

    /// ``decode(_:scope:now:)`` for listings whose positions are integers.
    static func decodeInt(_ token: String, scope: String, now: Timestamp) throws(AWSServiceError) -> Int {
        guard let position = Int(try decode(token, scope: scope, now: now)) else { throw .invalidToken("Invalid Token: '\(token)'") }
        return position
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// AWS: maxResults 0 or absent means 100.
    static func pageSize(_ request: ActionRequest) -> Int {
        let requested = request.int("maxResults") ?? 0
        return requested > 0 ? requested : 100
    }

    /// The answer of a List* action: `{key: [describe(item)...]}` with `nextToken` when more remain.
    static func answer<T>(
        page: (items: [T], nextToken: String?), key: String, describe: (T) -> JSONValue
    ) -> JSONValue {
        var answer: JSONObject = [key: .array(page.items.map(describe))]
        if let token = page.nextToken { answer["nextToken"] = .string(token) }
        return .object(answer)
    }

    /// The answer of a List* action over `items`, already in listing order and strictly
    /// increasing in `position` (a key that stays with the item for its whole life): the page
    /// the request's `maxResults` and `nextToken` ask for.
    static func answer<T, Position: Comparable & LosslessStringConvertible>(
        _ items: [T], position: (T) -> Position, key: String, request: ActionRequest, scope: String, describe: (T) -> JSONValue
    ) throws(AWSServiceError) -> JSONValue {
        try answer(page: page(items, position: position, request: request, scope: scope), key: key, describe: describe)
    }

    /// Cuts the requested page out of `items` (sorted by increasing `position`): the items after
    /// the token's position, found by binary search.
    static func page<T, Position: Comparable & LosslessStringConvertible>(
        _ items: [T], position: (T) -> Position, request: ActionRequest, scope: String
    ) throws(AWSServiceError) -> (items: [T], nextToken: String?) {
        let now = request.services.now()
        var start = 0
        if let token = request.string("nextToken") {
            guard let after = Position(try decode(token, scope: scope, now: now)) else { throw .invalidToken("Invalid Token: '\(token)'") }
            var high = items.count
            while start < high {
                let middle = (start + high) / 2
                if position(items[middle]) <= after { start = middle + 1 } else { high = middle }
            }
        }
        let end = min(items.count, start + pageSize(request))
        let next = end < items.count ? encode(position: position(items[end - 1]).description, scope: scope, issuedAt: now) : nil
        return (Array(items[start..<end]), next)
    }
}
