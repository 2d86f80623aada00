/// The region (and access key) a SigV4-signed request names in its credential scope. AWS SDKs
/// sign every request for a region, so reading it back lets one StepLocal serve clients
/// configured for different regions, as Step Functions Local does. The signature itself is not
/// checked: any credentials are accepted.
struct CredentialScope: Sendable, Equatable {
    var accessKeyId: String
    var date: String
    var region: String
    var service: String

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/states/aws4_request, ...`.
    init?(authorization: String) {
        guard let range = authorization.range(of: "Credential=") else { return nil }
        let rest = authorization[range.upperBound...]
        let value = rest.prefix { $0 != "," && $0 != " " }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[2].isEmpty else { return nil }
        accessKeyId = String(parts[0])
        date = String(parts[1])
        region = String(parts[2])
        service = String(parts[3])
    }
}
