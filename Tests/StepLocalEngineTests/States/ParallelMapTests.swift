import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization
import Testing

/// Parallel and inline Map states (AWS Developer Guide: "Parallel workflow state", "Map state
/// in Inline mode", "ItemSelector (Map)", "Setting failure thresholds").
@Suite("Parallel state")
struct ParallelStateTests {
    @Test("Parallel outputs an array of branch outputs in branch order")
    func order() async throws {
        let definition = Harness.single(#"""
            {"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"first","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Pass","Parameters":{"in.$":"$.x"},"End":true}}},
              {"StartAt":"C","States":{"C":{"Type":"Succeed"}}}]}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: #"{"x":1}"#)
        expectSucceeded(snapshot, output: #"["first",{"in":1},{"x":1}]"#)
    }

    @Test("Branch results stay in branch order even when a later branch finishes first")
    func orderWithTasks() async throws {
        let dispatcher = StubDispatcher { request in
            let delay = request.parameters["delay"]?.numberValue?.intValue ?? 0
            try await Task.sleep(for: .milliseconds(delay))
            return request.parameters["name"] ?? .null
        }
        let branch = { (name: String, delay: Int) in
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"name":"\#(name)","delay":\#(delay)},"End":true}}}"#
        }
        let definition = Harness.single(#"{"Type":"Parallel","End":true,"Branches":[\#(branch("slow", 50)),\#(branch("fast", 0))]}"#)
        let snapshot = try await Harness.run(definition, dispatcher: dispatcher)
        expectSucceeded(snapshot, output: #"["slow","fast"]"#)
    }

    @Test("One failing branch fails the Parallel state with the branch's error")
    func failingBranch() async throws {
        let definition = Harness.single(#"""
            {"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
              {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"BranchError","Cause":"branch two"}}}]}
            """#)
        let snapshot = try await Harness.run(definition)
        expectFailed(snapshot, error: "BranchError", cause: "branch two")
        #expect(snapshot.eventTypes.contains("ParallelStateFailed"))
    }

    @Test("A Task whose failure ends a branch is aborted: TaskFailed, TaskStateAborted, then ParallelStateFailed chained to TaskFailed (recorded on AWS)")
    func failedTaskAbortedInBranch() async throws {
        let definition = Harness.single(#"""
            {"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}]}
            """#)
        let snapshot = try await Harness.run(definition, dispatcher: StubDispatcher { _ in throw StatesError("Lambda.Unknown", cause: "boom") })
        expectFailed(snapshot, error: "Lambda.Unknown", cause: "boom")
        let types = snapshot.history.map(\.type)
        #expect(Array(types.suffix(4)) == ["TaskFailed", "TaskStateAborted", "ParallelStateFailed", "ExecutionFailed"])
        let taskFailed = try #require(snapshot.history.first { $0.type == "TaskFailed" })
        #expect(snapshot.history.first { $0.type == "TaskStateAborted" }?.previousEventId == taskFailed.id)
        #expect(snapshot.history.first { $0.type == "ParallelStateFailed" }?.previousEventId == taskFailed.id)
    }

    @Test("A Task whose failure ends a Map iteration is not aborted (recorded on AWS)")
    func failedTaskInMapIterationNotAborted() async throws {
        let definition = Harness.single(#"""
            {"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Call","States":{
              "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: "[1]", dispatcher: StubDispatcher { _ in throw StatesError("Lambda.Unknown", cause: "boom") })
        expectFailed(snapshot, error: "Lambda.Unknown", cause: "boom")
        #expect(!snapshot.history.map(\.type).contains("TaskStateAborted"))
    }

    @Test("Catch on a Parallel state catches a branch failure; default ResultPath $ gives {Error, Cause}")
    func catchBranch() async throws {
        let definition = #"""
            {"StartAt":"P","States":{
              "P":{"Type":"Parallel","Next":"Done","Branches":[
                {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"BranchError","Cause":"why"}}}],
               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}]},
              "Handler":{"Type":"Pass","End":true},
              "Done":{"Type":"Succeed"}}}
            """#
        let snapshot = try await Harness.run(definition, inputJSON: #"{"orig":1}"#)
        expectSucceeded(snapshot, output: #"{"Error":"BranchError","Cause":"why"}"#)
    }

    @Test("Parallel ResultSelector and ResultPath apply to the array of branch results")
    func resultProcessing() async throws {
        let definition = Harness.single(#"""
            {"Type":"Parallel","End":true,"ResultSelector":{"first.$":"$[0]","second.$":"$[1]"},"ResultPath":"$.results","Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}]}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: #"{"k":"v"}"#)
        expectSucceeded(snapshot, output: #"{"k":"v","results":{"first":1,"second":2}}"#)
    }

    @Test("Parallel history: Entered, Started, branch events, Succeeded, Exited")
    func history() async throws {
        let definition = Harness.single(#"{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}"#)
        let snapshot = try await Harness.run(definition)
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "PassStateEntered", "PassStateExited",
            "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded",
        ])
    }
}

@Suite("Map state (inline)")
struct MapStateTests {
    @Test("AWS docs example: ItemsPath and ItemSelector with $$.Map.Item.Value and a field of the state input")
    func docsItemSelector() async throws {
        let definition = Harness.single(#"""
            {"Type":"Map","ItemsPath":"$.detail.shipped","End":true,
             "ItemSelector":{"parcel.$":"$$.Map.Item.Value","courier.$":"$.detail.delivery-partner"},
             "ItemProcessor":{"StartAt":"Validate","States":{"Validate":{"Type":"Pass","End":true}}}}
            """#)
        let input = #"""
            {"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
              {"prod":"R31","dest-code":9511,"quantity":1344},{"prod":"S39","dest-code":9511,"quantity":40}]}}
            """#
        let snapshot = try await Harness.run(definition, inputJSON: input)
        expectSucceeded(snapshot, output: #"""
            [{"parcel":{"prod":"R31","dest-code":9511,"quantity":1344},"courier":"UQS"},
             {"parcel":{"prod":"S39","dest-code":9511,"quantity":40},"courier":"UQS"}]
            """#)
    }

    @Test("AWS docs example: $$.Map.Item.Index and $$.Map.Item.Value in ItemSelector")
    func contextIndex() async throws {
        let definition = Harness.single(#"""
            {"Type":"Map","End":true,"ItemSelector":{"ContextIndex.$":"$$.Map.Item.Index","ContextValue.$":"$$.Map.Item.Value"},
             "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: #"["a","b","c"]"#)
        expectSucceeded(snapshot, output: #"""
            [{"ContextIndex":0,"ContextValue":"a"},{"ContextIndex":1,"ContextValue":"b"},{"ContextIndex":2,"ContextValue":"c"}]
            """#)
    }

    @Test("Legacy Iterator and Parameters behave like ItemProcessor and ItemSelector")
    func legacyFields() async throws {
        let definition = Harness.single(#"""
            {"Type":"Map","ItemsPath":"$.items","End":true,"Parameters":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
             "Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: #"{"items":[10,20]}"#)
        expectSucceeded(snapshot, output: #"[{"i":0,"v":10},{"i":1,"v":20}]"#)
    }

    @Test("Map of an empty array outputs an empty array")
    func empty() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}"#), inputJSON: "[]")
        expectSucceeded(snapshot, output: "[]")
    }

    @Test("ItemsPath that is not an array fails with States.Runtime")
    func notArray() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Map","ItemsPath":"$.x","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}"#),
            inputJSON: #"{"x":"nope"}"#)
        expectFailed(snapshot, error: "States.Runtime")
    }

    @Test("ResultSelector and ResultPath apply to the Map's array of results")
    func resultSelector() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Map","ItemsPath":"$.xs","End":true,"ResultSelector":{"n.$":"States.ArrayLength($)"},"ResultPath":"$.count","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}"#),
            inputJSON: #"{"xs":[1,2,3]}"#)
        expectSucceeded(snapshot, output: #"{"xs":[1,2,3],"count":{"n":3}}"#)
    }

    @Test("Map history: MapStateStarted with length, one MapIterationStarted/Succeeded per item, MapStateSucceeded")
    func history() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}"#), inputJSON: "[1,2]")
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "MapStateEntered", "MapStateStarted",
            "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
            "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
            "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded",
        ])
        #expect(snapshot.history.first { $0.type == "MapStateStarted" }?.details["length"] == .int(2))
    }

    @Test("MaxConcurrency bounds how many iterations run at once", arguments: [1, 2])
    func maxConcurrency(_ limit: Int) async throws {
        let inFlight = Mutex((current: 0, peak: 0))
        let dispatcher = StubDispatcher { request in
            inFlight.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) }
            try await Task.sleep(for: .milliseconds(20))
            inFlight.withLock { $0.current -= 1 }
            return request.parameters
        }
        let definition = Harness.single(#"""
            {"Type":"Map","MaxConcurrency":\#(limit),"End":true,
             "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: "[1,2,3,4,5]", dispatcher: dispatcher)
        expectSucceeded(snapshot, output: "[1,2,3,4,5]")
        #expect(inFlight.withLock { $0.peak } <= limit)
        #expect(inFlight.withLock { $0.peak } >= 1)
    }

    @Test("MaxConcurrency 0 runs iterations concurrently without a bound")
    func unbounded() async throws {
        let inFlight = Mutex((current: 0, peak: 0))
        let dispatcher = StubDispatcher { request in
            inFlight.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) }
            try await Task.sleep(for: .milliseconds(50))
            inFlight.withLock { $0.current -= 1 }
            return request.parameters
        }
        let definition = Harness.single(#"""
            {"Type":"Map","MaxConcurrency":0,"End":true,
             "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: "[1,2,3,4]", dispatcher: dispatcher)
        expectSucceeded(snapshot, output: "[1,2,3,4]")
        #expect(inFlight.withLock { $0.peak } > 1)
    }

    /// Items that are even fail (Fail state), odd ones succeed.
    static func tolerantMap(_ tolerance: String) -> String {
        Harness.single(#"""
            {"Type":"Map","End":true,\#(tolerance)
             "ItemProcessor":{"StartAt":"C","States":{
               "C":{"Type":"Choice","Choices":[{"Variable":"$.even","BooleanEquals":true,"Next":"F"}],"Default":"OK"},
               "F":{"Type":"Fail","Error":"EvenItem","Cause":"even"},
               "OK":{"Type":"Pass","End":true}}}}
            """#)
    }

    static let fourItems = #"[{"even":false},{"even":true},{"even":false},{"even":true}]"#

    @Test("Without a tolerance, one failed iteration fails the Map with that iteration's error")
    func noTolerance() async throws {
        let snapshot = try await Harness.run(Self.tolerantMap(""), inputJSON: Self.fourItems)
        expectFailed(snapshot, error: "EvenItem", cause: "even")
        #expect(snapshot.eventTypes.contains("MapIterationFailed"))
        #expect(snapshot.eventTypes.contains("MapStateFailed"))
    }

    @Test("ToleratedFailureCount at or above the number of failures lets the Map succeed")
    func countTolerated() async throws {
        let snapshot = try await Harness.run(Self.tolerantMap(#""ToleratedFailureCount":2,"#), inputJSON: Self.fourItems)
        #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "") \(snapshot.cause ?? "")")
        #expect(snapshot.output?.arrayValue?.count == 4)
    }

    @Test("Failures above ToleratedFailureCount fail with States.ExceedToleratedFailureThreshold")
    func countExceeded() async throws {
        let snapshot = try await Harness.run(Self.tolerantMap(#""ToleratedFailureCount":1,"#), inputJSON: Self.fourItems)
        expectFailed(snapshot, error: "States.ExceedToleratedFailureThreshold")
    }

    @Test("ToleratedFailurePercentage 50 tolerates 2 of 4 failures; 49 does not")
    func percentage() async throws {
        let ok = try await Harness.run(Self.tolerantMap(#""ToleratedFailurePercentage":50,"#), inputJSON: Self.fourItems)
        #expect(ok.status == .succeeded, "\(ok.error ?? "") \(ok.cause ?? "")")
        let failed = try await Harness.run(Self.tolerantMap(#""ToleratedFailurePercentage":49,"#), inputJSON: Self.fourItems)
        expectFailed(failed, error: "States.ExceedToleratedFailureThreshold")
    }

    @Test("ToleratedFailureCountPath reads the tolerance from the input")
    func countPath() async throws {
        let definition = Harness.single(#"""
            {"Type":"Map","End":true,"ItemsPath":"$.items","ToleratedFailureCountPath":"$.tolerance",
             "ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}}
            """#)
        let ok = try await Harness.run(definition, inputJSON: #"{"items":[1,2],"tolerance":2}"#)
        #expect(ok.status == .succeeded)
        let failed = try await Harness.run(definition, inputJSON: #"{"items":[1,2],"tolerance":1}"#)
        expectFailed(failed, error: "States.ExceedToleratedFailureThreshold")
    }

    @Test("Iterations cannot see each other's variables, and the Map output keeps item order under concurrency")
    func orderUnderConcurrency() async throws {
        let dispatcher = StubDispatcher { request in
            let n = request.parameters.numberValue?.intValue ?? 0
            try await Task.sleep(for: .milliseconds(5 * (6 - n)))
            return .int(n * 10)
        }
        let definition = Harness.single(#"""
            {"Type":"Map","End":true,"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: "[1,2,3,4,5]", dispatcher: dispatcher)
        expectSucceeded(snapshot, output: "[10,20,30,40,50]")
    }

    @Test("Branches that wait unequal times keep their own timestamps; the Parallel ends with the slower one")
    func unequalWaitsKeepTheirOwnTime() async throws {
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","Next":"After","Branches":[
              {"StartAt":"Short","States":{"Short":{"Type":"Wait","Seconds":10,"Next":"AfterShort"},"AfterShort":{"Type":"Pass","End":true}}},
              {"StartAt":"Long","States":{"Long":{"Type":"Wait","Seconds":100,"Next":"AfterLong"},"AfterLong":{"Type":"Pass","End":true}}}]},
             "After":{"Type":"Pass","End":true}}}
            """#
        // Several runs: whichever branch the scheduler runs first, the stamps are the same.
        for _ in 0..<5 {
            let snapshot = try await Harness.run(definition)
            #expect(snapshot.status == .succeeded)
            func seconds(_ type: String, _ name: String) -> Int64? {
                snapshot.history.first { $0.type == type && $0.details["name"]?.stringValue == name }
                    .map { ($0.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 }
            }
            #expect(seconds("PassStateEntered", "AfterShort") == 10)
            #expect(seconds("PassStateEntered", "AfterLong") == 100)
            #expect(seconds("ParallelStateExited", "Both") == 100)
            #expect(seconds("PassStateEntered", "After") == 100)
        }
    }

    /// Seconds from the start of each event, in event id order.
    static func secondsInIdOrder(_ snapshot: ExecutionSnapshot) -> [Int64] {
        snapshot.history.sorted { $0.id < $1.id }.map { ($0.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 }
    }

    @Test("Branches that wait unequal times are numbered in time order: the 10 s branch's events come before the 100 s branch's")
    func unequalWaitsNumberedInTimeOrder() async throws {
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Long","States":{"Long":{"Type":"Wait","Seconds":100,"Next":"AfterLong"},"AfterLong":{"Type":"Pass","End":true}}},
              {"StartAt":"Short","States":{"Short":{"Type":"Wait","Seconds":10,"Next":"AfterShort"},"AfterShort":{"Type":"Pass","End":true}}},
              {"StartAt":"Middle","States":{"Middle":{"Type":"Wait","Seconds":50,"Next":"AfterMiddle"},"AfterMiddle":{"Type":"Pass","End":true}}}]}}}
            """#
        var histories: Set<[String]> = []
        for _ in 0..<10 {
            let snapshot = try await Harness.run(definition)
            #expect(snapshot.status == .succeeded)
            let seconds = Self.secondsInIdOrder(snapshot)
            #expect(seconds == seconds.sorted(), "\(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" })")
            let waitsExited = snapshot.history.filter { $0.type == "WaitStateExited" }.compactMap { $0.details["name"]?.stringValue }
            #expect(waitsExited == ["Short", "Middle", "Long"])
            histories.insert(snapshot.history.map { "\($0.type) \($0.details["name"]?.stringValue ?? "")" })
        }
        // Events at different moments are in one order on every run.
        #expect(Set(histories.map { $0.suffix(9) }).count == 1)
    }

    @Test("With MaxConcurrency 2 the next iteration starts when a running one ends, at that one's end time, and events stay in time order")
    func slidingWindowStartsAtTheEndOfTheSlot() async throws {
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":2,"End":true,"ItemProcessor":{
              "StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$","Next":"P"},"P":{"Type":"Pass","End":true}}}}}}
            """#
        for _ in 0..<5 {
            let snapshot = try await Harness.run(definition, input: [30, 10, 10, 10])
            #expect(snapshot.status == .succeeded)
            let seconds = Self.secondsInIdOrder(snapshot)
            #expect(seconds == seconds.sorted(), "\(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" })")
            let started = snapshot.history.filter { $0.type == "MapIterationStarted" }
                .map { ($0.details["index"]?.numberValue?.intValue ?? -1, ($0.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000) }
            // Item 0 (30 s) holds one slot; items 1, 2 and 3 follow each other in the other.
            #expect(started.map(\.0) == [0, 1, 2, 3])
            #expect(started.map(\.1) == [0, 0, 10, 20])
            let exited = try #require(snapshot.history.first { $0.type == "MapStateExited" })
            #expect((exited.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 == 30)
        }
    }

    @Test("A Parallel inside Map iterations: every thread's waits, at any depth, pass in time order")
    func nestedThreadsNumberedInTimeOrder() async throws {
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Fork","States":{"Fork":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Wait","SecondsPath":"$.a","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Wait","SecondsPath":"$.b","Next":"C"},"C":{"Type":"Wait","Seconds":1,"End":true}}}]}}}}}}
            """#
        let input: JSONValue = [["a": 40, "b": 5], ["a": 3, "b": 20], ["a": 12, "b": 12]]
        for _ in 0..<5 {
            let snapshot = try await Harness.run(definition, input: input)
            #expect(snapshot.status == .succeeded)
            let seconds = Self.secondsInIdOrder(snapshot)
            #expect(seconds == seconds.sorted(), "\(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" })")
            #expect(seconds.last == 40)
        }
    }

    /// A Parallel whose first branch calls a service that answers in real time while the second waits.
    static let workingBeside = #"""
        {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
          {"StartAt":"Short","States":{"Short":{"Type":"Wait","Seconds":10,"Next":"AfterShort"},"AfterShort":{"Type":"Pass","End":true}}}]}}}
        """#

    @Test("A branch whose Wait is held while its sibling works is released when the sibling's failure fails the Parallel")
    func heldWaitReleasedByFailure() async throws {
        let dispatcher = StubDispatcher { _ in
            try await Task.sleep(for: .milliseconds(50))
            throw StatesError("Work.Failed", cause: "on purpose")
        }
        let snapshot = try #require(await Harness.runBounded(try StateMachineDefinition.load(Self.workingBeside), input: [:], seconds: 5, dispatcher: dispatcher))
        expectFailed(snapshot, error: "Work.Failed")
        // The Wait never ended: its branch was stopped while it waited its turn.
        #expect(!snapshot.eventTypes.contains("WaitStateExited"))
    }

    @Test("A Wait held while its sibling works passes once the sibling has answered, after the sibling's events")
    func heldWaitPassesAfterTheWork() async throws {
        let dispatcher = StubDispatcher { _ in
            try await Task.sleep(for: .milliseconds(50))
            return "done"
        }
        let snapshot = try #require(await Harness.runBounded(try StateMachineDefinition.load(Self.workingBeside), input: [:], seconds: 5, dispatcher: dispatcher))
        expectSucceeded(snapshot, output: #"["done",{}]"#)
        let ids = Dictionary(snapshot.history.map { ($0.type, $0.id) }, uniquingKeysWith: { first, _ in first })
        #expect(try #require(ids["TaskSucceeded"]) < (try #require(ids["WaitStateExited"])))
    }

    @Test("StopExecution ends a Parallel whose Wait is held while its sibling works")
    func stopWhileHeld() async throws {
        let dispatcher = StubDispatcher { _ in
            try await Task.sleep(for: .seconds(30))
            return "late"
        }
        let definition = try StateMachineDefinition.load(Self.workingBeside)
        let execution = ExecutionEngine(clock: VirtualClock(start: Harness.start), dispatcher: dispatcher)
            .start(definition, input: [:], identity: Harness.identity(startTime: Harness.start))
        try await Task.sleep(for: .milliseconds(50))
        _ = execution.stop(error: "Stopped", cause: nil)
        let finished = await Harness.finished(execution, within: 5)
        #expect(finished?.status == .aborted)
    }

    @Test("A Wait its Parallel's failure stopped is forgotten: the sibling's later Wait still passes, at its own time")
    func stoppedWaitLeavesNoDeadlineBehind() async throws {
        // Inner's branch B waits 20 s; branch A fails at 5 s, which stops B while it waits. The
        // outer sibling's 50 s Wait must then pass, at 50 s, as if B had never waited.
        let definition = try StateMachineDefinition.load(
            #"""
            {"StartAt":"Outer","States":{"Outer":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Inner","States":{
                "Inner":{"Type":"Parallel","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true,"Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"Next":"Boom"},"Boom":{"Type":"Fail","Error":"Boom"}}},
                  {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":20,"Next":"AfterB"},"AfterB":{"Type":"Pass","End":true}}}]},
                "Caught":{"Type":"Pass","End":true}}},
              {"StartAt":"C","States":{"C":{"Type":"Wait","Seconds":50,"Next":"AfterC"},"AfterC":{"Type":"Pass","End":true}}}]}}}
            """#)
        let snapshot = try #require(await Harness.runBounded(definition, input: [:], seconds: 5))
        #expect(snapshot.status == .succeeded)
        func seconds(_ type: String, _ name: String) -> Int64? {
            snapshot.history.first { $0.type == type && $0.details["name"]?.stringValue == name }
                .map { ($0.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 }
        }
        #expect(seconds("PassStateEntered", "Caught") == 5)
        #expect(seconds("WaitStateExited", "B") == nil)
        #expect(seconds("PassStateEntered", "AfterC") == 50)
        #expect(seconds("ParallelStateExited", "Outer") == 50)
        #expect(Self.secondsInIdOrder(snapshot) == Self.secondsInIdOrder(snapshot).sorted())
    }

    @Test("Two Parallels running side by side: each one's ParallelStateSucceeded follows an event of its own branches, never the other's")
    func parallelSucceededFollowsItsOwnBranches() async throws {
        // Every innermost branch waits the same second, so all four go on at the same moment.
        func inner(_ n: Int) -> String {
            #"{"StartAt":"I\#(n)","States":{"I\#(n)":{"Type":"Parallel","End":true,"Branches":["#
                + #"{"StartAt":"A\#(n)","States":{"A\#(n)":{"Type":"Wait","Seconds":1,"Next":"AA\#(n)"},"AA\#(n)":{"Type":"Pass","End":true}}},"#
                + #"{"StartAt":"B\#(n)","States":{"B\#(n)":{"Type":"Wait","Seconds":1,"Next":"BB\#(n)"},"BB\#(n)":{"Type":"Pass","End":true}}}]}}}"#
        }
        let definition = #"{"StartAt":"Outer","States":{"Outer":{"Type":"Parallel","End":true,"Branches":[\#(inner(1)),\#(inner(2))]}}}"#
        for _ in 0..<40 {
            let snapshot = try await Harness.run(definition)
            #expect(snapshot.status == .succeeded)
            let byId = Dictionary(uniqueKeysWithValues: snapshot.history.map { ($0.id, $0) })
            let succeeded = snapshot.history.filter { $0.type == "ParallelStateSucceeded" }
            #expect(succeeded.count == 3)
            // The inner ones: each names the last event of one of its branches (a Pass of its own).
            for event in succeeded {
                guard let previous = byId[event.previousEventId], let name = previous.details["name"]?.stringValue, name.count == 3 else { continue }
                let exited = snapshot.history.first { $0.type == "ParallelStateExited" && $0.previousEventId == event.id }?.details["name"]?.stringValue
                #expect(exited.map { "I" + String(name.last!) == $0 } == true, "\(event.id) follows \(previous.type) \(name), exits \(exited ?? "-")")
            }
        }
    }

    @Test("Two Maps running side by side: each one's MapStateSucceeded follows one of its own MapIterationSucceeded, never the other's")
    func mapSucceededFollowsItsOwnIterations() async throws {
        func map(_ n: Int) -> String {
            #"{"StartAt":"M\#(n)","States":{"M\#(n)":{"Type":"Map","End":true,"ItemsPath":"$.items","ItemProcessor":{"#
                + #""StartAt":"W\#(n)","States":{"W\#(n)":{"Type":"Wait","Seconds":1,"End":true}}}}}}"#
        }
        let definition = #"{"StartAt":"Outer","States":{"Outer":{"Type":"Parallel","End":true,"Branches":[\#(map(1)),\#(map(2))]}}}"#
        for _ in 0..<40 {
            let snapshot = try await Harness.run(definition, input: ["items": [1, 2, 3]])
            #expect(snapshot.status == .succeeded)
            let byId = Dictionary(uniqueKeysWithValues: snapshot.history.map { ($0.id, $0) })
            let succeeded = snapshot.history.filter { $0.type == "MapStateSucceeded" }
            #expect(succeeded.count == 2)
            let previous = succeeded.map { byId[$0.previousEventId] }
            #expect(previous.allSatisfy { $0?.type == "MapIterationSucceeded" })
            // One names an iteration of M1, the other one of M2.
            #expect(Set(previous.compactMap { $0?.details["name"]?.stringValue }) == ["M1", "M2"])
        }
    }

    @Test("Map iterations that wait unequal times keep their own timestamps; the Map ends with the slowest")
    func mapIterationsKeepTheirOwnTime() async throws {
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.waits","End":true,"ItemProcessor":{
              "StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$","Next":"P"},"P":{"Type":"Pass","End":true}}}}}}
            """#
        let snapshot = try await Harness.run(definition, input: ["waits": [30, 5, 60]])
        #expect(snapshot.status == .succeeded)
        let passes = snapshot.history.filter { $0.type == "PassStateEntered" }
            .map { ($0.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 }
        #expect(passes.sorted() == [5, 30, 60])
        let exited = try #require(snapshot.history.first { $0.type == "MapStateExited" })
        #expect((exited.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 == 60)
    }
}
