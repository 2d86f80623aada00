import StepLocalJSON

/// Where a program (the top level, a Parallel branch, a Map iteration) stopped when it failed,
/// timed out or was aborted: the state it was in, that state's input and the variables in scope
/// on entering it. RedriveExecution continues from here, as AWS does, so states that succeeded
/// are not run again.
///
/// When the stopping state is a Parallel or a Map, `branches` says how each branch or iteration
/// ended: those that succeeded keep their output and are not rerun; those that failed or were
/// aborted carry their own point; those that never started are absent and run from the start.
/// When it is a Distributed Map whose Map Run did not succeed, `mapRun` is that run: a redrive
/// redrives it (its unsuccessful child executions) instead of starting a new one, as AWS does.
final class RedrivePoint: Sendable {
    let stateName: String
    let input: JSONValue
    let variables: [String: JSONValue]
    let detail: StopDetail?

    init(stateName: String, input: JSONValue, variables: [String: JSONValue], detail: StopDetail?) {
        self.stateName = stateName
        self.input = input
        self.variables = variables
        self.detail = detail
    }
}

/// How the work of a Parallel, Map or Distributed Map state that did not succeed ended: what a
/// redrive of the state keeps. (One field for both kinds keeps ``Frame`` small: it is reset on
/// every state.)
enum StopDetail: Sendable {
    /// Each Parallel branch or inline Map iteration, by index.
    case branches([Int: BranchProgress])
    /// The Distributed Map's run.
    case mapRun(MapRun)

    var branches: [Int: BranchProgress]? {
        if case .branches(let progress) = self { progress } else { nil }
    }

    var mapRun: MapRun? {
        if case .mapRun(let run) = self { run } else { nil }
    }
}

/// How one Parallel branch or Map iteration ended, for a later redrive of its state.
enum BranchProgress: Sendable {
    /// Its output is reused on redrive; it does not run again.
    case succeeded(JSONValue)
    /// It failed or was aborted here; on redrive it continues from this point.
    case stopped(RedrivePoint)

    /// The output of a branch that succeeded.
    var output: JSONValue? {
        if case .succeeded(let output) = self { output } else { nil }
    }

    /// Where a branch that did not succeed continues.
    var stopPoint: RedrivePoint? {
        if case .stopped(let point) = self { point } else { nil }
    }

    /// Collects the progress of sub-programs from their outcomes and stop points.
    static func collect(_ outcomes: [ProgramOutcome?], points: [RedrivePoint?]) -> [Int: BranchProgress] {
        var progress: [Int: BranchProgress] = [:]
        for (index, outcome) in outcomes.enumerated() {
            if case .succeeded(let output)? = outcome {
                progress[index] = .succeeded(output)
            } else if let point = points[index] {
                progress[index] = .stopped(point)
            }
        }
        return progress
    }
}
