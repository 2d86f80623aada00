import StepLocalASL
import StepLocalGraph
import StepLocalJSON
import Testing

/// Definitions the graph tests draw: the example definitions under scenarios/definitions, and
/// generated machines large or nested enough to stress the layout.
enum GraphFixtures {
    /// The package root, found from this file's path (Tests/StepLocalGraphTests/…).
    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let scenarioDefinitionsFolder = packageRoot + "/scenarios/definitions"

    /// The names (without `.asl.json`) of the example definitions, sorted.
    static let scenarioNames: [String] = {
        let listing = (try? directoryListing(scenarioDefinitionsFolder)) ?? []
        return listing.filter { $0.hasSuffix(".asl.json") }.map { String($0.dropLast(".asl.json".count)) }.sorted()
    }()

    static func scenarioDefinition(_ name: String) throws -> StateMachineDefinition {
        try StateMachineDefinition.load(try readText(scenarioDefinitionsFolder + "/\(name).asl.json"))
    }

    static func load(_ text: String) throws -> StateMachineDefinition {
        try StateMachineDefinition.load(text)
    }

    /// A chain of `count` states (Pass, Task with Retry and Catch, Wait, and every tenth a
    /// Choice that loops back seven states, skips ahead five, or goes on), ending in Succeed,
    /// with a shared Fail handler for the Catches.
    static func longChain(count: Int = 200) -> String {
        var states: [String] = []
        for i in 0..<(count - 1) {
            let next = "\"Next\":\"S\(i + 1)\""
            if i % 10 == 9 {
                let back = max(0, i - 7), ahead = min(count - 2, i + 5)
                states.append(
                    """
                    "S\(i)":{"Type":"Choice","Choices":[\
                    {"Variable":"$.n","NumericLessThan":\(i),"Next":"S\(back)"},\
                    {"And":[{"Variable":"$.flag","BooleanEquals":true},{"Variable":"$.x","StringEquals":"a"}],"Next":"S\(ahead)"}],\
                    "Default":"S\(i + 1)"}
                    """)
            } else if i % 7 == 3 {
                states.append(
                    """
                    "S\(i)":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f\(i)"},\
                    "Retry":[{"ErrorEquals":["States.Timeout"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}],\(next)}
                    """)
            } else if i % 13 == 5 {
                states.append("\"S\(i)\":{\"Type\":\"Wait\",\"Seconds\":5,\(next)}")
            } else {
                states.append("\"S\(i)\":{\"Type\":\"Pass\",\(next)}")
            }
        }
        states.append("\"S\(count - 1)\":{\"Type\":\"Succeed\"}")
        states.append("\"Handler\":{\"Type\":\"Fail\",\"Error\":\"Handled\"}")
        return "{\"StartAt\":\"S0\",\"States\":{\(states.joined(separator: ","))}}"
    }

    /// A Parallel whose first branch runs a Map whose processor runs another Parallel, with a
    /// Choice loop inside the innermost branch and Catches at every level.
    static let nestedContainers = """
        {"StartAt":"Outer","States":{
          "Outer":{"Type":"Parallel","Branches":[
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Next":"EachItem"},
              "EachItem":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{
                "ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Inner","States":{
                  "Inner":{"Type":"Parallel","Branches":[
                    {"StartAt":"Fetch","States":{
                      "Fetch":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"fetch"},
                        "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],"Next":"Fetched?"},
                      "Fetched?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":false,"Next":"Fetch"}],"Default":"Stored"},
                      "Stored":{"Type":"Succeed"}}},
                    {"StartAt":"Audit","States":{"Audit":{"Type":"Pass","End":true}}}
                  ],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"ItemFailed"}],"End":true},
                  "ItemFailed":{"Type":"Pass","End":true}}},
                "End":true}}},
            {"StartAt":"Notify","States":{"Notify":{"Type":"Wait","Seconds":1,"Next":"Notified"},"Notified":{"Type":"Pass","End":true}}}
          ],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Failed"}],"Next":"Done"},
          "Done":{"Type":"Succeed"},
          "Failed":{"Type":"Fail","Error":"Nested"}}}
        """

    /// Every transition of a definition (Next, Choice rules, Default, Catch), nested ones included.
    static func transitions(of program: StateProgram) -> [(from: String, to: String, kind: GraphEdge.Kind)] {
        var result: [(from: String, to: String, kind: GraphEdge.Kind)] = []
        for name in program.stateNames {
            guard let state = program.states[name] else { continue }
            switch state.kind {
            case .choice(let spec):
                for branch in spec.choices { result.append((name, branch.next, .choice)) }
                if let target = spec.defaultNext { result.append((name, target, .default)) }
            case .parallel(let branches):
                for branch in branches { result += transitions(of: branch) }
            case .map(let spec):
                result += transitions(of: spec.processor)
            default:
                break
            }
            if case .choice = state.kind {} else if let next = state.next { result.append((name, next, .next)) }
            for catcher in state.catchers { result.append((name, catcher.next, .catch)) }
        }
        return result
    }

    static func stateCount(of program: StateProgram) -> Int {
        program.stateNames.reduce(0) { total, name in
            switch program.states[name]?.kind {
            case .parallel(let branches): total + 1 + branches.map(stateCount).reduce(0, +)
            case .map(let spec): total + 1 + stateCount(of: spec.processor)
            default: total + 1
            }
        }
    }
}
