import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The text of every leaf element of an XML document, by element name (the first one wins):
/// enough for the query protocol's flat answers (`<MessageId>`, `<Code>`, `<RequestId>`).
final class XMLFields: NSObject, XMLParserDelegate {
    private var values: [String: String] = [:]
    private var text = ""

    static func read(_ bytes: [UInt8]) -> [String: String] {
        let reader = XMLFields()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = reader
        _ = parser.parse()
        return reader.values
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !value.isEmpty, values[elementName] == nil { values[elementName] = value }
        text = ""
    }
}
