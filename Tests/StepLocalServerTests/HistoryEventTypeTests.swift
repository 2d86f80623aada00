import StepLocalASL
import StepLocalEngine
import Testing

@testable import StepLocalServer

/// The engine's event types are the service model's `HistoryEventType`, and each one's details
/// member is a member of the model's `HistoryEvent`: the model StepLocal's shapes are generated
/// from is the one GetExecutionHistory answers are checked against.
@Suite("History event types follow the service model")
struct HistoryEventTypeTests {
    @Test("every AWS event type is a case, in the model's order, and no other")
    func sameTypes() throws {
        guard case .string(let shape)? = ServiceModel.shapes["HistoryEventType"] else {
            Issue.record("the service model has no HistoryEventType enum")
            return
        }
        #expect(HistoryEventType.allCases.map(\.rawValue) == shape.enumValues)
    }

    @Test("each details key is a HistoryEvent member, and every details member of the model is some type's key")
    func detailsKeysAreMembers() throws {
        guard case .structure(let members)? = ServiceModel.shapes["HistoryEvent"] else {
            Issue.record("the service model has no HistoryEvent structure")
            return
        }
        let detailMembers = Set(members.map(\.name).filter { $0.hasSuffix("EventDetails") })
        let keys = Set(HistoryEventType.allCases.compactMap(\.detailsKey))
        #expect(keys == detailMembers)
        #expect(HistoryEventType.passStateEntered.detailsKey == "stateEnteredEventDetails")
        #expect(HistoryEventType.mapIterationSucceeded.detailsKey == "mapIterationSucceededEventDetails")
        #expect(HistoryEventType.mapStateSucceeded.detailsKey == nil)
    }
}
