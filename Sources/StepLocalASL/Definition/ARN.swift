/// An Amazon Resource Name taken apart at its colons: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`,
/// the resource itself split at its own colons (`execution:MACHINE:NAME`). It exists so that the
/// engine, the dispatchers, the server and the CLI read an ARN's region, account or last part one
/// way instead of each splitting the text by hand. (A Task's `Resource` has its own reader,
/// ``TaskResourceARN``; the server's `StatesARN` adds AWS's error answers on top of this.)
public struct ARN: Sendable, Hashable {
    public let partition: String
    public let service: String
    public let region: String
    public let account: String
    /// The parts after the account, split at colons (`["execution", "Machine", "name"]`).
    public let resource: [String]

    /// Nil unless `text` starts with `arn:` and has the five fields before the resource.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn" else { return nil }
        partition = String(parts[1])
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
        resource = parts[5...].map(String.init)
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT`: how ARNs minted beside this one begin.
    public var prefix: String { "arn:\(partition):\(service):\(region):\(account)" }
}
