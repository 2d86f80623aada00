import StepLocalASL
import StepLocalJSON

/// One entry of an execution's history, shaped as GetExecutionHistory returns it. The type
/// names and detail members are AWS's (`TaskScheduled` → `taskScheduledEventDetails`).
public struct HistoryEvent: Sendable {
    public var id: Int
    public var previousEventId: Int
    public var timestamp: Timestamp
    public var type: String
    /// The name of the details member, e.g. `stateEnteredEventDetails`; nil for events without one.
    public var detailsKey: String?
    public var details: JSONObject

    public init(id: Int, previousEventId: Int, timestamp: Timestamp, type: String, detailsKey: String?, details: JSONObject) {
        self.id = id
        self.previousEventId = previousEventId
        self.timestamp = timestamp
        self.type = type
        self.detailsKey = detailsKey
        self.details = details
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
