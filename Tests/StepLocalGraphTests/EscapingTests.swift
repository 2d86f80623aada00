import Foundation
import StepLocalASL
import StepLocalGraph
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// User data (state names, conditions, error names, comments) can never become markup: every
/// format escapes it, and Unicode names survive intact.
@Suite("Escaping user data in diagrams")
struct EscapingTests {
    static let hostileName = "<img src=x onerror=alert(1)>"
    static let unicodeName = "支払い 💳 Überprüfung – “quoted” & 'single'"

    static let definitionText = """
        {"Comment":"<script>alert('comment')</script> & more",
         "StartAt":"<img src=x onerror=alert(1)>","States":{
          "<img src=x onerror=alert(1)>":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
            "Retry":[{"ErrorEquals":["States.ALL"]}],
            "Catch":[{"ErrorEquals":["Err<\\"&'>","Timeout"],"Next":"支払い 💳 Überprüfung – “quoted” & 'single'"}],
            "Next":"Route \\"#1\\" | `x`"},
          "Route \\"#1\\" | `x`":{"Type":"Choice","Choices":[
            {"Variable":"$.a","StringEquals":"<b>&</b>","Next":"支払い 💳 Überprüfung – “quoted” & 'single'"}],
            "Default":"Done"},
          "支払い 💳 Überprüfung – “quoted” & 'single'":{"Type":"Fail","Error":"E"},
          "Done":{"Type":"Succeed"}}}
        """

    static func graph() throws -> StateMachineGraph {
        StateMachineGraph(definition: try StateMachineDefinition.load(definitionText))
    }

    @Test("The SVG is well-formed XML, holds no injected markup, and keeps names as escaped text")
    func svg() throws {
        let graph = try Self.graph()
        for statuses in [[:], [Self.hostileName: StateRunStatus.failed, Self.unicodeName: .caught]] {
            let svg = graph.svg(statuses: statuses)
            #expect(!svg.contains("<img"))
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("<b>"))
            #expect(svg.contains("data-state=\"&lt;img src=x onerror=alert(1)&gt;\""))
            #expect(svg.contains("<title>&lt;img src=x onerror=alert(1)&gt;</title>"))
            #expect(svg.contains("data-state=\"支払い 💳 Überprüfung – “quoted” &amp; &#39;single&#39;\""))
            #expect(svg.contains("Err&lt;&quot;&amp;&#39;&gt;, Timeout"))
            #expect(svg.contains("$.a == &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;"))
            #expect(svg.contains("&lt;script&gt;"))
            #expect(Self.isWellFormedXML(svg))
        }
        #expect(graph.svg(statuses: [Self.hostileName: .failed]).contains("sl-status-failed\" data-state=\"&lt;img"))
    }

    @Test("Long names are shortened with … in the label but kept whole in the title")
    func longNames() throws {
        let name = String(repeating: "VeryLongStateName", count: 4)
        let graph = StateMachineGraph(definition: try StateMachineDefinition.load(#"{"StartAt":"\#(name)","States":{"\#(name)":{"Type":"Pass","End":true}}}"#))
        let node = try #require(graph.layout.nodes.first { $0.stateName == name })
        #expect(node.label.hasSuffix("…"))
        #expect(node.label.count < name.count)
        #expect(graph.svg().contains("<title>\(name)</title>"))
    }

    @Test("DOT quotes and escapes every id and label")
    func dot() throws {
        let dot = try Self.graph().dot()
        #expect(dot.hasPrefix("digraph "))
        #expect(dot.contains(##""Route \"#1\" | `x`" ["##))
        #expect(dot.contains(#"label="Err<\"&'>, Timeout""#))
        #expect(dot.contains("\"支払い 💳 Überprüfung – “quoted” & 'single'\""))
        // No unescaped quote ends a string early: every line has an even number of unescaped quotes.
        for line in dot.split(separator: "\n") {
            var quotes = 0, escaped = false
            for character in line {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { quotes += 1 }
            }
            #expect(quotes % 2 == 0, "\(line)")
        }
    }

    @Test("Mermaid uses generated ids and entity codes, never raw quotes or markup")
    func mermaid() throws {
        let mermaid = try Self.graph().mermaid(statuses: [Self.hostileName: .failed])
        #expect(mermaid.hasPrefix("flowchart TD\n"))
        #expect(!mermaid.contains("<img"))
        #expect(mermaid.contains("s0(\"#lt;img src=x onerror=alert(1)#gt; ↻ 1\")"))
        #expect(mermaid.contains("s1{{\"Route #quot;#35;1#quot; #124; #96;x#96;\"}}"))
        #expect(mermaid.contains("s0 -.->|\"Err#lt;#quot;#amp;'#gt;, Timeout\"| s2"))
        #expect(mermaid.contains("classDef failed"))
        #expect(mermaid.contains("class s0 failed"))
        // Inside every "…" label there is no raw quote: quotes come in pairs on each line.
        for line in mermaid.split(separator: "\n") {
            #expect(line.filter { $0 == "\"" }.count % 2 == 0, "\(line)")
        }
    }

    static func isWellFormedXML(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse()
    }
}
