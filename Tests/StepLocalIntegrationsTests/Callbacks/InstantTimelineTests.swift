import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// On an instant clock, a branch's waits pass in time order with its siblings' (the engine's
/// `InstantTimeline`), but a branch that waits for the world outside (a worker's task token, an
/// activity worker) never holds its siblings back: only that world can end its wait.
@Suite("Branches waiting for workers on an instant clock")
struct InstantTimelineTests {
    /// A Parallel: one branch waits for `resource` with no deadline, the other waits 10 s and passes.
    static func besideAWait(_ resource: String, _ extra: String) -> String {
        #"{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":["#
            + #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(resource)","# + extra + #""End":true}}},"#
            + #"{"StartAt":"Short","States":{"Short":{"Type":"Wait","Seconds":10,"Next":"AfterShort"},"AfterShort":{"Type":"Pass","End":true}}}]}}}"#
    }

    /// Waits (up to ~5 s of real time) until the execution has recorded `type`.
    static func reaches(_ execution: Execution, _ type: String) async throws -> Bool {
        for _ in 0..<500 {
            if execution.snapshot().history.contains(where: { $0.type == type }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test("While one branch waits for SendTaskSuccess, its sibling's 10 s Wait passes and the sibling ends")
    func tokenDoesNotHoldSiblings() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let execution = try h.start(Self.besideAWait(CallbackHarness.sqsToken, CallbackHarness.tokenParameters))
        let token = try await h.spy.token()
        let siblingEnded = try await Self.reaches(execution, "PassStateExited")
        #expect(siblingEnded, "\(execution.snapshot().eventTypes)")
        #expect(h.callbacks.succeed(token: token, output: ["ok": true]) == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == [["ok": true], [:]])
        // The answer came after the sibling's Wait had passed: stamped after it, in time order.
        Self.expectTimeOrder(snapshot)
        #expect(snapshot.history.first { $0.type == "TaskSucceeded" }?.timestamp == snapshot.history.first { $0.type == "WaitStateExited" }?.timestamp)
    }

    @Test("While one branch waits for an activity worker, its sibling's 10 s Wait passes and the sibling ends")
    func activityDoesNotHoldSiblings() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let execution = try h.start(Self.besideAWait(CallbackHarness.activityArn, ""))
        let siblingEnded = try await Self.reaches(execution, "PassStateExited")
        #expect(siblingEnded, "\(execution.snapshot().eventTypes)")
        let task = try #require(await h.activities.poll(activityArn: CallbackHarness.activityArn, workerName: "w", timeout: .seconds(5)))
        #expect(h.callbacks.succeed(token: task.taskToken, output: "worked") == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["worked", [:]])
        Self.expectTimeOrder(snapshot)
    }

    static func expectTimeOrder(_ snapshot: ExecutionSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        let times = snapshot.history.sorted { $0.id < $1.id }.map(\.timestamp)
        #expect(times == times.sorted(), "\(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" })", sourceLocation: sourceLocation)
    }
}

extension InstantTimelineTests {
    /// A branch of `length` states, each a Wait (seconds from `waits`), a task waiting for a token,
    /// or a Map whose iterations wait for one each.
    static func branch(_ index: Int, kinds: [Int], waits: [Int]) -> String {
        var states: [String] = []
        for (i, kind) in kinds.enumerated() {
            let name = "B\(index)S\(i)"
            let next = i == kinds.count - 1 ? #""End":true"# : #""Next":"B\#(index)S\#(i + 1)""#
            switch kind {
            case 0: states.append(#""\#(name)":{"Type":"Wait","Seconds":\#(waits[i]),\#(next)}"#)
            case 1:
                states.append(#""\#(name)":{"Type":"Task","Resource":"\#(CallbackHarness.sqsToken)","# + CallbackHarness.tokenParameters
                    + #""ResultPath":null,\#(next)}"#)
            default:
                states.append(
                    #""\#(name)":{"Type":"Map","ItemsPath":"$.items","ResultPath":null,"ItemProcessor":{"StartAt":"W","States":{"#
                        + #""W":{"Type":"Wait","Seconds":\#(waits[i]),"Next":"T"},"#
                        + #""T":{"Type":"Task","Resource":"\#(CallbackHarness.sqsToken)","# + CallbackHarness.tokenParameters + #""End":true}}},\#(next)}"#)
            }
        }
        return #"{"StartAt":"B\#(index)S0","States":{\#(states.joined(separator: ","))}}"#
    }

    @Test("Thirty random Parallels of Waits, token tasks and Maps of token tasks, a worker answering every token after a moment: each ends", arguments: 0..<30)
    func randomBranchesWithWorkers(seed: Int) async throws {
        var state = UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let branches = (0..<(2 + next(3))).map { b in
            let count = 1 + next(3)
            return Self.branch(b, kinds: (0..<count).map { _ in next(3) }, waits: (0..<count).map { _ in next(40) })
        }
        let definition = #"{"StartAt":"All","States":{"All":{"Type":"Parallel","End":true,"Branches":[\#(branches.joined(separator: ","))]}}}"#
        let h = CallbackHarness(clock: VirtualClock())
        let execution = try h.start(definition, input: ["items": [1, 2]])
        // The worker: answers every token it has not answered yet, a moment after it appears.
        let worker = Task {
            var answered = 0
            while !Task.isCancelled {
                if let token = try? await h.spy.token(number: answered + 1) {
                    try? await Task.sleep(for: .milliseconds(answered % 3))
                    _ = h.callbacks.succeed(token: token, output: "ok")
                    answered += 1
                } else {
                    return
                }
            }
        }
        let finished = await execution.finished(within: .seconds(10))
        worker.cancel()
        #expect(finished?.status == .succeeded, "seed \(seed) did not end: \(definition)")
    }
}
