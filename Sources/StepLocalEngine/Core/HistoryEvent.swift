import StepLocalASL
import StepLocalJSON

/// One entry of an execution's history, shaped as GetExecutionHistory returns it. The type
/// names and detail members are AWS's (`TaskScheduled` → `taskScheduledEventDetails`).
public struct HistoryEvent: Sendable {
    public var id: Int
    public var previousEventId: Int
    public var timestamp: Timestamp
    /// The type when the service model knows it (every event StepLocal records): one byte, where
    /// the type's and details member's names were two strings copied with every event.
    private var knownType: HistoryEventType?
    /// Whether the event carries its type's details member: false only for an event read from a
    /// history recorded elsewhere that left it out (AWS leaves it out of some events).
    private var hasDetails: Bool
    /// A type newer than the service model, read from a history recorded elsewhere.
    private var otherType: OtherEventType?

    /// The event type's name, e.g. `TaskScheduled`.
    public var type: String {
        get { knownType?.rawValue ?? otherType?.type ?? "" }
        set { (knownType, otherType) = Self.typeStorage(newValue, detailsKey: detailsKey) }
    }
    /// The name of the details member, e.g. `stateEnteredEventDetails`; nil for events without one.
    public var detailsKey: String? {
        if let knownType { return hasDetails ? knownType.detailsKey : nil }
        return otherType?.detailsKey
    }
    /// The details as GetExecutionHistory shows them (payloads as JSON text), rendered from
    /// what the engine recorded.
    public var details: JSONObject {
        get { recorded.rendered }
        set { recorded = .object(newValue) }
    }
    var recorded: RecordedDetails

    /// The `name` member of the details (a state's entered or exited event, a Map iteration),
    /// read without rendering the rest: readers that only walk states by name (expectations,
    /// coverage, mock invocation counts) must not serialise every payload to find it.
    public var stateName: String? {
        switch recorded {
        case .stateEntered(let name, _), .stateExited(let name, _): name
        case .object(let details): details["name"]?.stringValue
        }
    }

    /// A known type keeps only its case; a details member other than the model's (or a type the
    /// model lacks) is kept by name.
    private static func typeStorage(_ type: String, detailsKey: String?) -> (HistoryEventType?, OtherEventType?) {
        if let known = HistoryEventType(rawValue: type), detailsKey == nil || detailsKey == known.detailsKey { return (known, nil) }
        return (nil, OtherEventType(type: type, detailsKey: detailsKey))
    }

    /// The event as the API returns it (timestamps as epoch seconds). With
    /// `includeExecutionData: false`, input/output/parameters payloads are left out, as AWS does.
    public func json(includeExecutionData: Bool = true) -> JSONValue {
        var object: JSONObject = [
            "timestamp": .double(timestamp.secondsSince1970),
            "type": .string(type),
            "id": .int(id),
            "previousEventId": .int(previousEventId),
        ]
        if let detailsKey {
            var shown = details
            if !includeExecutionData {
                for key in ["input", "output", "parameters", "result"] { shown.removeValue(forKey: key) }
            }
            object[detailsKey] = .object(shown)
        }
        return .object(object)
    }
}

/// The initialisers delegate to the memberwise one, which is why they sit in an extension: an
/// initialiser that assigns the stored properties one by one builds the event in a temporary and
/// copies it out, and `Array.append` then copied and destroyed it once more per recorded event
/// (about 5 % of the interpreter's time with history on, in perf); the memberwise one builds it
/// in place, so the engine's events are moved into the history.
extension HistoryEvent {
    public init(id: Int, previousEventId: Int, timestamp: Timestamp, type: String, detailsKey: String?, details: JSONObject) {
        self.init(id: id, previousEventId: previousEventId, timestamp: timestamp, type: type, detailsKey: detailsKey, recorded: .object(details))
    }

    init(id: Int, previousEventId: Int, timestamp: Timestamp, type: String, detailsKey: String?, recorded: RecordedDetails) {
        let (knownType, otherType) = Self.typeStorage(type, detailsKey: detailsKey)
        self.init(
            id: id, previousEventId: previousEventId, timestamp: timestamp, knownType: knownType, hasDetails: detailsKey != nil, otherType: otherType,
            recorded: recorded)
    }

    /// An event the engine records: its type from the model, with its details member (the
    /// type's own, none for a type that carries none: nothing to look up per event).
    init(id: Int, previousEventId: Int, timestamp: Timestamp, type: HistoryEventType, recorded: consuming RecordedDetails) {
        self.init(id: id, previousEventId: previousEventId, timestamp: timestamp, knownType: type, hasDetails: true, otherType: nil, recorded: recorded)
    }
}

/// The type of an event that ``HistoryEventType`` does not know, by name (rare: a history
/// recorded against a newer service), boxed so common events do not carry two strings.
final class OtherEventType: Sendable {
    let type: String
    let detailsKey: String?

    init(type: String, detailsKey: String?) {
        self.type = type
        self.detailsKey = detailsKey
    }
}

/// An event's details as the engine recorded them. A state's entered and exited events, two of
/// every state's events, keep its input or output as the value it is and serialise it only when
/// the event is read (GetExecutionHistory, the console, the `--data-dir` store, packing a closed
/// history). Serialising each payload as the state ran cost the interpreter about two thirds of
/// its speed with history on (issue 16); values are immutable, so the text is the same later.
enum RecordedDetails: Sendable {
    case object(JSONObject)
    /// `stateEnteredEventDetails`: name, input, inputDetails.
    case stateEntered(name: String, input: JSONValue)
    /// `stateExitedEventDetails` without assigned variables: name, output, outputDetails.
    case stateExited(name: String, output: JSONValue)

    var rendered: JSONObject {
        switch self {
        case .object(let details):
            details
        case .stateEntered(let name, let input):
            ["name": .string(name), "input": .string(input.serialized()), "inputDetails": .notTruncated]
        case .stateExited(let name, let output):
            ["name": .string(name), "output": .string(output.serialized()), "outputDetails": .notTruncated]
        }
    }
}

extension JSONValue {
    /// `{"truncated": false}`, AWS's `HistoryEventExecutionDataDetails` of a payload it kept
    /// whole: one shared value, where a literal in every event built a new object (two
    /// allocations each).
    static let notTruncated: JSONValue = ["truncated": false]
}

extension HistoryEvent {
    /// Whether two events' details say the same: equal members, a payload given as JSON text
    /// compared as the value it reads as (an execution's input keeps the spacing it was sent with;
    /// the same input serialised again after a restart has none).
    static func sameDetails(_ recorded: JSONObject, _ again: JSONObject) -> Bool {
        guard recorded.count == again.count else { return false }
        for (key, value) in recorded {
            guard let other = again[key] else { return false }
            if value == other { continue }
            guard case .string(let text) = value, case .string(let otherText) = other,
                let parsed = try? JSONValue(parsing: text), let otherParsed = try? JSONValue(parsing: otherText), parsed == otherParsed
            else { return false }
        }
        return true
    }
}
