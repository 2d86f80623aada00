import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization

/// Collects what one case's execution exercised. The engine tells it which Choice rule matched,
/// which Retry retried and which Catch caught (as inspection stages, the hook TestState uses;
/// bound only while coverage is asked for, so other runs pay nothing); the states entered come
/// from the history and from each state's input stage, which also sees the states of a
/// Distributed Map's child executions (their events are in the children's histories).
final class CoverageRecorder: StateInspector {
    private let hits = Mutex(Set<CoverageItem>())

    func inspect(_ stage: InspectionStage, _ value: JSONValue, of state: State) {
        if stage == .input {
            _ = hits.withLock { $0.insert(CoverageItem(kind: .state, state: state.name)) }
            return
        }
        guard case .number(let number) = value, let index = number.intValue else { return }
        let item: CoverageItem
        switch stage {
        case .choiceIndex: item = index < 0 ? CoverageItem(kind: .choiceDefault, state: state.name) : CoverageItem(kind: .choiceRule, state: state.name, index: index)
        case .catchIndex: item = CoverageItem(kind: .catcher, state: state.name, index: index)
        case .retryIndex: item = CoverageItem(kind: .retrier, state: state.name, index: index)
        default: return
        }
        _ = hits.withLock { $0.insert(item) }
    }

    /// What was hit, with the states the history shows entered.
    func covered(history: [HistoryEvent]) -> Set<CoverageItem> {
        var covered = hits.withLock { $0 }
        for event in history where event.type.hasSuffix("StateEntered") {
            if let name = event.stateName { covered.insert(CoverageItem(kind: .state, state: name)) }
        }
        return covered
    }
}
