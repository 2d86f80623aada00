// steplocal-bench: in-process throughput of the interpreter and the JSONata evaluator.
// Not a test: it prints figures for the README. Run with
//   swift run -c release steplocal-bench
import StepLocalASL
import StepLocalEngine
import StepLocalGraph
import StepLocalJSON
import StepLocalJSONata

#if canImport(Glibc)
import Glibc
#endif

/// Seconds of CPU time used by this thread (one core), so a busy neighbour doesn't skew rates.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func identity(_ name: String) -> ExecutionIdentity {
    ExecutionIdentity(
        executionArn: "arn:aws:states:us-east-1:123456789012:execution:\(name):bench", name: "bench",
        stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:\(name)", stateMachineName: name,
        roleArn: "arn:aws:iam::123456789012:role/bench", startTime: Timestamp(millisecondsSince1970: 1_700_000_000_000))
}

func load(_ text: String) -> StateMachineDefinition {
    do { return try StateMachineDefinition.load(text) } catch { fatalError("benchmark definition invalid: \(error)") }
}

/// A 1,000-iteration loop: Increment (Pass with States.MathAdd) → Check (Choice) → back.
let loopDefinition = load(
    """
    {"StartAt":"Increment","States":{
      "Increment":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"Check"},
      "Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":1000,"Next":"Increment"}],"Default":"Done"},
      "Done":{"Type":"Succeed"}}}
    """)

/// A chain of 1,000 plain Pass states: the cost of a transition with nothing to evaluate.
let passChain: StateMachineDefinition = {
    var states: [String] = []
    for i in 0..<1000 {
        states.append(i == 999 ? "\"P\(i)\":{\"Type\":\"Pass\",\"End\":true}" : "\"P\(i)\":{\"Type\":\"Pass\",\"Next\":\"P\(i + 1)\"}")
    }
    return load("{\"StartAt\":\"P0\",\"States\":{\(states.joined(separator: ","))}}")
}()

let mapDefinition = load(
    """
    {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
    """)

func measure(_ label: String, transitionsPerRun: Int, runs: Int, history: Bool, definition: StateMachineDefinition, input: JSONValue) async {
    let engine = ExecutionEngine(clock: VirtualClock(), recordsHistory: history)
    let id = identity("bench")
    // Warm up once.
    _ = await engine.run(definition, input: input, identity: id)
    let cpu0 = threadCPUSeconds(), wall0 = wallSeconds()
    for _ in 0..<runs {
        let result = await engine.run(definition, input: input, identity: id)
        precondition(result.status == .succeeded, "benchmark run failed: \(result.error ?? "") \(result.cause ?? "")")
    }
    let wall = wallSeconds() - wall0
    _ = cpu0
    let rate = Double(transitionsPerRun * runs) / wall
    print("\(label): \(Int(rate)) transitions/s (\(runs) runs, \(String(format: "%.3f", wall)) s wall, history \(history ? "on" : "off"))")
}

/// The wall time of the fastest of `runs` runs, in seconds; every run must succeed.
func shortestRun(of definition: StateMachineDefinition, input: JSONValue, on engine: ExecutionEngine, runs: Int) async -> Double {
    var best = Double.infinity
    for _ in 0..<runs {
        let t0 = wallSeconds()
        let result = await engine.run(definition, input: input, identity: identity("map"))
        precondition(result.status == .succeeded, "benchmark run failed: \(result.error ?? "") \(result.cause ?? "")")
        best = min(best, wallSeconds() - t0)
    }
    return best
}

func measureMap(items: Int, runs: Int, history: Bool) async {
    let engine = ExecutionEngine(clock: VirtualClock(), recordsHistory: history)
    let input: JSONValue = .object(["items": .array((0..<items).map { .int($0) })])
    _ = await engine.run(mapDefinition, input: input, identity: identity("map"))
    let best = await shortestRun(of: mapDefinition, input: input, on: engine, runs: runs)
    print("\(items)-item Map of Pass states: \(String(format: "%.1f", best * 1000)) ms (best of \(runs), history \(history ? "on" : "off"))")
}

/// A Distributed Map whose children each wait a different time, all at once, on the virtual
/// clock: the cost of keeping thousands of waiting children in time order (``InstantTimeline``).
let distributedWaitsDefinition = load(
    """
    {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W",
        "States":{"W":{"Type":"Wait","SecondsPath":"$","Next":"P"},"P":{"Type":"Pass","End":true}}},
      "ResultSelector":{"children.$":"States.ArrayLength($)"},"End":true}}}
    """)

func measureDistributedWaits(children: Int, runs: Int) async {
    let engine = ExecutionEngine(clock: VirtualClock(), recordsHistory: true)
    let input: JSONValue = .object(["items": .array((1...children).map { .int($0) })])
    let best = await shortestRun(of: distributedWaitsDefinition, input: input, on: engine, runs: runs)
    print("Distributed Map, \(children) children waiting 1..\(children) s at once: \(String(format: "%.1f", best * 1000)) ms (best of \(runs), history on)")
}

/// Executions that all sit in an hour-long Wait on the real clock, started side by side: what
/// each costs in memory while it waits (its task, its timer), and what stopping them all costs.
let hourWaitDefinition = load(#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}"#)

func residentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

func measureWaitingExecutions(count: Int) async {
    let engine = ExecutionEngine(clock: SystemClock(), recordsHistory: true)
    let before = residentKilobytes()
    let start = wallSeconds()
    var executions: [Execution] = []
    executions.reserveCapacity(count)
    for i in 0..<count {
        var id = identity("wait")
        id.executionArn += "\(i)"
        executions.append(engine.start(hourWaitDefinition, input: .object([:]), identity: id))
    }
    // Every execution in its Wait (its timer armed) before memory is read.
    for execution in executions {
        while execution.pendingWaits.waits.isEmpty { try? await Task.sleep(for: .milliseconds(1)) }
    }
    let started = wallSeconds() - start
    let perThousand = Double(residentKilobytes() - before) / Double(count) * 1000 / 1024
    let cpuBefore = clock()
    try? await Task.sleep(for: .seconds(2))
    let idleCPU = Double(clock() - cpuBefore) / Double(CLOCKS_PER_SEC)
    let stopStart = wallSeconds()
    for execution in executions { execution.stop(error: nil, cause: nil) }
    for execution in executions { _ = await execution.waitUntilFinished() }
    let stopped = wallSeconds() - stopStart
    print(
        "\(count) executions waiting an hour on the real clock: started and all waiting in \(String(format: "%.2f", started)) s; "
            + "\(String(format: "%.2f", perThousand)) MiB RSS per 1,000; CPU over 2 s of waiting \(String(format: "%.3f", idleCPU)) s; "
            + "all stopped in \(String(format: "%.2f", stopped)) s")
}

func measureJSONata(runs: Int) {
    let items: [JSONValue] = (0..<100).map { i in
        .object(["sku": .string("SKU-\(i)"), "price": .int(i % 20), "qty": .int(i % 5 + 1)])
    }
    let states: JSONValue = .object(["input": .object(["items": .array(items)])])
    // STEPLOCAL_BENCH_EXPRESSION swaps in another expression over the same input (for profiling).
    let source = getenv("STEPLOCAL_BENCH_EXPRESSION").map { String(cString: $0) }
        ?? #"$states.input.items[price > 10].{"sku": sku, "total": price * qty}"#
    let expression: JSONataExpression
    do {
        expression = try JSONataExpression(source)
    } catch { fatalError("\(error)") }
    do {
        _ = try expression.evaluate(input: nil, bindings: ["states": states])
        // CPU time of this thread, so that other processes on a shared machine do not skew the rate.
        let cpu0 = threadCPUSeconds()
        for _ in 0..<runs { _ = try expression.evaluate(input: nil, bindings: ["states": states]) }
        let cpu = threadCPUSeconds() - cpu0
        print(
            "JSONata  \(source)  over 100 items: "
                + "\(Int(Double(runs) / cpu)) evaluations/s (CPU time, \(runs) runs)")
    } catch { fatalError("\(error)") }
}

/// A 200-state machine for the diagram benchmark: a chain of Pass and Task states (with Retry
/// and Catch), and every tenth a Choice that loops back seven states or skips ahead five.
let graphDefinition: StateMachineDefinition = {
    var states: [String] = []
    for i in 0..<199 {
        if i % 10 == 9 {
            states.append(
                "\"S\(i)\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.n\",\"NumericLessThan\":\(i),\"Next\":\"S\(max(0, i - 7))\"},"
                    + "{\"Variable\":\"$.f\",\"BooleanEquals\":true,\"Next\":\"S\(min(198, i + 5))\"}],\"Default\":\"S\(i + 1)\"}")
        } else if i % 7 == 3 {
            states.append(
                "\"S\(i)\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":{\"FunctionName\":\"f\"},"
                    + "\"Retry\":[{\"ErrorEquals\":[\"States.Timeout\"]}],\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Handler\"}],\"Next\":\"S\(i + 1)\"}")
        } else {
            states.append("\"S\(i)\":{\"Type\":\"Pass\",\"Next\":\"S\(i + 1)\"}")
        }
    }
    states.append("\"S199\":{\"Type\":\"Succeed\"}")
    states.append("\"Handler\":{\"Type\":\"Fail\",\"Error\":\"Handled\"}")
    return load("{\"StartAt\":\"S0\",\"States\":{\(states.joined(separator: ","))}}")
}()

/// Layout plus SVG of the 200-state machine: the median wall time of `runs` renderings.
func measureGraph(runs: Int) {
    _ = StateMachineGraph(definition: graphDefinition).svg()
    var times: [Double] = []
    var bytes = 0
    for _ in 0..<runs {
        let t0 = wallSeconds()
        let svg = StateMachineGraph(definition: graphDefinition).svg()
        times.append(wallSeconds() - t0)
        bytes = svg.utf8.count
    }
    times.sort()
    let median = times[times.count / 2]
    print("Graph layout + SVG, 200 states: \(String(format: "%.1f", median * 1000)) ms (median of \(runs), \(bytes / 1024) KiB of SVG)")
}

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
// `--jsonata` measures only the expression evaluator (for profiling it alone).
if arguments.contains("--jsonata") {
    // STEPLOCAL_BENCH_RUNS sets the number of evaluations (for instruction counts under callgrind).
    let runs = getenv("STEPLOCAL_BENCH_RUNS").flatMap { Int(String(cString: $0)) }
    measureJSONata(runs: runs ?? (quick ? 1000 : 200_000))
    exit(0)
}

// `--graph` measures only the diagram layout and SVG rendering.
if arguments.contains("--graph") {
    measureGraph(runs: quick ? 3 : 21)
    exit(0)
}

// `--distributed` measures only the Distributed Map whose children wait at once.
if arguments.contains("--distributed") {
    await measureDistributedWaits(children: 10_000, runs: quick ? 1 : 5)
    exit(0)
}

// `--waiting` measures only executions waiting at once on the real clock (100,000; 10,000 with --quick).
if arguments.contains("--waiting") {
    await measureWaitingExecutions(count: quick ? 10_000 : 100_000)
    exit(0)
}

// `--history` measures only the Pass chain with history on (for profiling event recording);
// `--no-history` the same chain with history off, to profile against.
if arguments.contains("--history") || arguments.contains("--no-history") {
    let history = arguments.contains("--history")
    await measure("Pass chain, 1,000 states", transitionsPerRun: 1000, runs: quick ? 20 : 1000, history: history, definition: passChain, input: .object([:]))
    exit(0)
}

print("steplocal-bench (one execution at a time, one core)")
await measure("Pass chain, 1,000 states", transitionsPerRun: 1000, runs: quick ? 20 : 500, history: false, definition: passChain, input: .object([:]))
// As many runs as with history off: 200 lasted 0.1 s, short enough for the machine's noise to show.
await measure("Pass chain, 1,000 states", transitionsPerRun: 1000, runs: quick ? 20 : 500, history: true, definition: passChain, input: .object([:]))
await measure(
    "Choice/Pass loop, 1,000 iterations", transitionsPerRun: 2001, runs: quick ? 10 : 200, history: false, definition: loopDefinition,
    input: .object(["i": .int(0)]))
await measure(
    "Choice/Pass loop, 1,000 iterations", transitionsPerRun: 2001, runs: quick ? 10 : 100, history: true, definition: loopDefinition,
    input: .object(["i": .int(0)]))
await measureMap(items: 10_000, runs: quick ? 2 : 10, history: false)
// With history on, a 10,000-item inline Map would pass AWS's 25,000-event history limit (four
// events per iteration) and fail, as on AWS; 6,000 items stay under it.
await measureMap(items: 6_000, runs: quick ? 2 : 10, history: true)
await measureDistributedWaits(children: 10_000, runs: quick ? 1 : 5)
measureJSONata(runs: quick ? 1000 : 50_000)
measureGraph(runs: quick ? 3 : 21)
