import Foundation
import StepLocalIntegrations
import Testing

/// AWS's published SigV4 examples, asserted step by step: the canonical request, the string to
/// sign and the signature. The vectors come from the SigV4 test suite AWS published with its
/// General Reference (`get-vanilla`, `get-vanilla-query-order-key-case`,
/// `post-x-www-form-urlencoded`, `post-sts-header-before`; credential scope
/// `AKIDEXAMPLE/20150830/us-east-1/service/aws4_request`) and from the IAM ListUsers example of
/// "Create a signed AWS API request".
@Suite("SigV4 signer")
struct SigV4SignerTests {
    static let credentials = SigV4Signer.Credentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// 2015-08-30T12:36:00Z, the suite's moment.
    static let date = Date(timeIntervalSince1970: 1_440_938_160)
    static let suite = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test("The request time is written as X-Amz-Date: 20150830T123600Z")
    func amzDate() {
        #expect(SigV4Signer.amzDate(Self.date) == "20150830T123600Z")
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 951_782_399)) == "20000228T235959Z")
    }

    @Test("get-vanilla: canonical request, string to sign and signature as published")
    func getVanilla() {
        let signed = Self.suite.sign(
            method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], date: Self.date)
        #expect(signed.canonicalRequest == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(Self.emptyHash)")
        #expect(
            signed.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(signed.headers.map(\.name) == ["Host", "X-Amz-Date", "Authorization"])
    }

    @Test("get-vanilla-query-order-key-case: the query is sorted before it is signed")
    func queryOrder() {
        let signed = Self.suite.sign(
            method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], body: [], date: Self.date)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "Param1=value1&Param2=value2")
        #expect(signed.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test("post-x-www-form-urlencoded: a body is hashed into the canonical request")
    func postFormEncoded() {
        let signed = Self.suite.sign(
            method: "POST", path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            body: Array("Param1=value1".utf8), date: Self.date)
        #expect(
            signed.canonicalRequest
                == "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        #expect(
            signed.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281")
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test("post-sts-header-before: a session token is sent as X-Amz-Security-Token and signed")
    func sessionToken() {
        let token =
            "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
        var credentials = Self.credentials
        credentials.sessionToken = token
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        let signed = signer.sign(method: "POST", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], date: Self.date)
        #expect(signed.signedHeaders == "host;x-amz-date;x-amz-security-token")
        #expect(signed.signature == "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")
        #expect(signed.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == token })
    }

    @Test("IAM ListUsers example: canonical request, string to sign, signing key and signature as documented")
    func iamListUsers() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "iam")
        let signed = signer.sign(
            method: "GET", path: "/", query: [("Action", "ListUsers"), ("Version", "2010-05-08")],
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com")], body: [],
            date: Self.date)
        #expect(
            signed.canonicalRequest
                == "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n\(Self.emptyHash)")
        #expect(
            signed.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        let key = SigV4Signer.signingKey(secret: Self.credentials.secretAccessKey, day: "20150830", region: "us-east-1", service: "iam")
        #expect(key.map { String(format: "%02x", $0) }.joined() == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        #expect(signed.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    @Test("A Lambda function ARN in the path is encoded once more in the canonical request, as AWS signs it")
    func pathIsEncodedAgain() {
        let signed = Self.suite.sign(
            method: "POST", path: "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/invocations",
            headers: [("Host", "lambda.us-east-1.amazonaws.com")], body: [], date: Self.date)
        #expect(
            signed.canonicalRequest.split(separator: "\n")[1]
                == "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Af/invocations")
    }

    @Test("Header values are trimmed and inner runs of spaces collapsed; repeated names are joined with commas")
    func headerCanonicalisation() {
        let signed = Self.suite.sign(
            method: "GET", path: "/", headers: [("Host", "example.amazonaws.com"), ("My-Header1", "  a   b  "), ("my-header1", "c")],
            body: [], date: Self.date)
        #expect(signed.canonicalRequest.contains("my-header1:a b,c\n"))
        #expect(signed.signedHeaders == "host;my-header1;x-amz-date")
    }
}
