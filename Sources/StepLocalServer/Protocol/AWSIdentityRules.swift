/// What may stand for a region and an account in the ARNs StepLocal mints. Both end up in every
/// ARN and in the keys resources are stored under, so a value AWS could never produce (a region
/// with a colon, slash or space, say) would create resources whose ARNs no request can name again.
/// Regions follow the shape of every AWS region name (`us-east-1`, `us-gov-west-1`,
/// `cn-northwest-1`, `ap-southeast-5`): `^[a-z]{2}(-[a-z]+)+-[0-9]+$`, at most 32 characters;
/// account ids are 12 digits, as in AWS's ARN patterns.
public enum AWSIdentityRules {
    public static let maximumRegionLength = 32

    public static func isValidRegion(_ region: String) -> Bool {
        let parts = region.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard region.utf8.count <= maximumRegionLength, parts.count >= 3 else { return false }
        func lowercaseLetters(_ part: Substring.UTF8View.SubSequence) -> Bool {
            !part.isEmpty && part.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        }
        return parts[0].count == 2 && parts.dropFirst().dropLast().allSatisfy(lowercaseLetters) && lowercaseLetters(parts[0])
            && !parts.last!.isEmpty && parts.last!.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    public static func isValidAccountId(_ accountId: String) -> Bool {
        accountId.utf8.count == 12 && accountId.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
