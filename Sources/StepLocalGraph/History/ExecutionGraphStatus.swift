import StepLocalJSON

/// Turns an execution's history into per-state summaries, so a diagram can be coloured the way the
/// AWS console colours its graph inspector, from nothing but `GetExecutionHistory`'s events.
///
/// Events are attributed to states by following `previousEventId` (see ``StateRunTracker``), which
/// keeps interleaved Parallel branches and Map iterations apart.
public enum ExecutionGraphStatus {
    /// One summary per state that was entered, keyed by state name; a state never entered is left
    /// out (read it as ``StateRunStatus/notReached``).
    ///
    /// `events`: AWS GetExecutionHistory JSON `events` array elements (objects with "id",
    /// "previousEventId", "type", "timestamp" and the "...EventDetails" keys, exactly as
    /// AWS/botocore returns them; inputs/outputs inside details are JSON *text* strings as on AWS).
    /// They may come in either order (`reverseOrder`); they are replayed by id.
    public static func summaries(events: [JSONValue]) -> [String: StateRunSummary] {
        var tracker = StateRunTracker()
        let ordered = events.enumerated().sorted { a, b in
            let ia = a.element["id"]?.numberValue?.intValue ?? a.offset
            let ib = b.element["id"]?.numberValue?.intValue ?? b.offset
            return ia != ib ? ia < ib : a.offset < b.offset
        }
        for (offset, event) in ordered { tracker.apply(event, fallbackId: offset + 1) }
        return tracker.summaries()
    }

    /// Just the statuses of ``summaries(events:)``, in the shape the renderers take.
    public static func statuses(events: [JSONValue]) -> [String: StateRunStatus] {
        summaries(events: events).mapValues(\.status)
    }

    /// The `events` of a `get-execution-history` answer (`{"events": [...]}`) or a bare array of
    /// events; nil for anything else.
    public static func events(inHistory document: JSONValue) -> [JSONValue]? {
        if let array = document.arrayValue { return array }
        return document["events"]?.arrayValue
    }
}
