import Foundation
import Testing

@testable import StepLocalIntegrations

/// The XML that SNS and S3 answer with, read without FoundationXML (whose libxml2 and ICU the
/// container's static binary must not need).
@Suite("XML scanner")
struct XMLScannerTests {
    @Test("Declaration, comments and attributes are skipped; entities, character references and CDATA are text")
    func events() {
        let xml = #"<?xml version="1.0" encoding="UTF-8"?><!-- answer --><R xmlns="http://x" a='1>2'><K>a &amp; b &lt;&#65;&#x42;&gt;</K><E/><C><![CDATA[<raw> & &lt;]]></C></R>"#
        #expect(
            XMLScanner.events(Array(xml.utf8)) == [
                .start("R"), .start("K"), .text("a & b <AB>"), .end("K"), .start("E"), .end("E"), .start("C"), .text("<raw> & &lt;"), .end("C"),
                .end("R"),
            ])
    }

    @Test("Leaf fields: the first element of a name wins, parents and whitespace-only text are not fields")
    func fields() {
        let xml = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error>
              <RequestId>r-1</RequestId><RequestId>r-2</RequestId>
            </ErrorResponse>
            """
        #expect(XMLFields.read(Array(xml.utf8)) == ["Type": "Sender", "Code": "NotFound", "Message": "Topic does not exist", "RequestId": "r-1"])
        #expect(XMLFields.read(Array("<a><b>unterminated".utf8)) == [:])
    }

    @Test("No source imports FoundationXML or FoundationNetworking: the static binary would need libxml2, libcurl and ICU")
    func noSystemXMLLibrary() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders: [String] = []
        var count = 0
        for case let file as URL in files where file.pathExtension == "swift" {
            count += 1
            let text = try String(contentsOf: file, encoding: .utf8)
            if text.contains("import FoundationXML") || text.contains("import FoundationNetworking") { offenders.append(file.lastPathComponent) }
        }
        #expect(count > 100)
        #expect(offenders == [])
    }
}
