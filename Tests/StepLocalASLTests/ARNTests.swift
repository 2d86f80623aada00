import StepLocalASL
import Testing

/// ARNs as the engine, dispatchers, server and CLI read them: region, account, the resource's parts.
@Suite("ARNs taken apart")
struct ARNTests {
    @Test("an execution ARN gives its region, account, prefix and resource parts")
    func execution() throws {
        let arn = try #require(ARN("arn:aws:states:eu-west-1:123456789012:execution:Orders:run-1"))
        #expect(arn.partition == "aws" && arn.service == "states" && arn.region == "eu-west-1" && arn.account == "123456789012")
        #expect(arn.resource == ["execution", "Orders", "run-1"])
        #expect(arn.prefix == "arn:aws:states:eu-west-1:123456789012")
    }

    @Test("an S3 bucket ARN has empty region and account; its name is the resource")
    func bucket() throws {
        let arn = try #require(ARN("arn:aws:s3:::inventory-bucket"))
        #expect(arn.region.isEmpty && arn.account.isEmpty && arn.resource == ["inventory-bucket"])
    }

    @Test("text without arn: or without the five fields is no ARN", arguments: ["", "bucket-name", "arn:aws:s3", "urn:aws:s3:::b", "arn:aws:states:us-east-1:1"])
    func notARNs(text: String) {
        #expect(ARN(text) == nil)
    }
}
