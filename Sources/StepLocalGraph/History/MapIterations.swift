import StepLocalASL
import StepLocalJSON

/// One iteration of an inline Map state as its history shows it: AWS's console lets a reader pick
/// an iteration and see the Map's inner states coloured by that iteration alone.
public struct MapIterationSummary: Sendable, Equatable {
    /// The iteration's index (`mapIterationStartedEventDetails.index`).
    public var index: Int
    /// succeeded, failed, cancelled (aborted), or running while it has not ended.
    public var status: StateRunStatus
    /// The ids of the events that belong to it, from MapIterationStarted to its end, nested
    /// Maps and Parallels included.
    public var eventIds: [Int]

    public init(index: Int, status: StateRunStatus, eventIds: [Int]) {
        self.index = index
        self.status = status
        self.eventIds = eventIds
    }
}

extension ExecutionGraphStatus {
    /// The iterations of the inline Map state `mapState`, by index. Events are attributed by
    /// following `previousEventId` from each `MapIterationStarted`; the Map's own closing events
    /// (MapStateSucceeded/Failed/Aborted after its last iteration, MapStateExited) are not part of
    /// any iteration. When a retried Map runs an index again, the later run's end is its status.
    public static func iterations(of mapState: String, events: [JSONValue]) -> [MapIterationSummary] {
        let owner = iterationOwners(of: mapState, events: events)
        var byIndex: [Int: MapIterationSummary] = [:]
        for event in ordered(events) {
            guard let id = event["id"]?.numberValue?.intValue, let index = owner[id] else { continue }
            var summary = byIndex[index] ?? MapIterationSummary(index: index, status: .running, eventIds: [])
            summary.eventIds.append(id)
            switch event["type"]?.stringValue {
            case "MapIterationStarted"?: summary.status = .running
            case "MapIterationSucceeded"?: summary.status = .succeeded
            case "MapIterationFailed"?: summary.status = .failed
            case "MapIterationAborted"?: summary.status = .cancelled
            default: break
            }
            byIndex[index] = summary
        }
        return byIndex.values.sorted { $0.index < $1.index }
    }

    /// ``summaries(events:)`` over one iteration's events only.
    public static func summaries(events: [JSONValue], iteration index: Int, of mapState: String) -> [String: StateRunSummary] {
        let owner = iterationOwners(of: mapState, events: events)
        return summaries(events: events.filter { event in
            event["id"]?.numberValue?.intValue.flatMap { owner[$0] } == index
        })
    }

    /// Every state inside `mapState`'s item processor (nested programs included): the nodes an
    /// iteration's statuses colour.
    public static func processorStates(of mapState: String, in definition: StateMachineDefinition) -> [String] {
        func find(_ program: StateProgram) -> StateProgram? {
            for name in program.stateNames {
                guard let state = program.states[name] else { continue }
                switch state.kind {
                case .map(let spec):
                    if name == mapState { return spec.processor }
                    if let found = find(spec.processor) { return found }
                case .parallel(let branches):
                    for branch in branches { if let found = find(branch) { return found } }
                default:
                    break
                }
            }
            return nil
        }
        func names(_ program: StateProgram) -> [String] {
            program.stateNames.flatMap { name -> [String] in
                guard let state = program.states[name] else { return [] }
                switch state.kind {
                case .map(let spec): return [name] + names(spec.processor)
                case .parallel(let branches): return [name] + branches.flatMap(names)
                default: return [name]
                }
            }
        }
        return find(definition.program).map(names) ?? []
    }

    private static func ordered(_ events: [JSONValue]) -> [JSONValue] {
        events.enumerated().sorted { a, b in
            (a.element["id"]?.numberValue?.intValue ?? a.offset) < (b.element["id"]?.numberValue?.intValue ?? b.offset)
        }.map(\.element)
    }

    /// Event id → the index of the iteration of `mapState` it belongs to.
    private static func iterationOwners(of mapState: String, events: [JSONValue]) -> [Int: Int] {
        var owner: [Int: Int] = [:]
        var openInnerMaps: [Int: Int] = [:]
        var types: [Int: String] = [:]
        var names: [Int: String] = [:]
        for event in ordered(events) {
            guard let id = event["id"]?.numberValue?.intValue, let type = event["type"]?.stringValue else { continue }
            let details = event.objectValue?.first { $0.key.hasSuffix("EventDetails") }?.value
            let name = details?["name"]?.stringValue
            types[id] = type
            if let name { names[id] = name }
            if type.hasPrefix("MapIteration"), name == mapState, let index = details?["index"]?.numberValue?.intValue {
                owner[id] = index
                continue
            }
            guard let previous = event["previousEventId"]?.numberValue?.intValue, let index = owner[previous] else { continue }
            switch type {
            case "MapStateStarted":
                openInnerMaps[index, default: 0] += 1
            case "MapStateSucceeded", "MapStateFailed", "MapStateAborted":
                // After this Map's own last iteration: the Map closing, not part of the iteration.
                let afterOwnIteration = types[previous].map { $0.hasPrefix("MapIteration") } == true && names[previous] == mapState
                if afterOwnIteration || openInnerMaps[index, default: 0] == 0 { continue }
                openInnerMaps[index, default: 0] -= 1
            case "MapStateExited" where name == mapState:
                continue
            default:
                if type.hasPrefix("Execution") { continue }
            }
            owner[id] = index
        }
        return owner
    }
}
