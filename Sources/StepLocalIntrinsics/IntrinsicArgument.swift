import StepLocalJSON
import StepLocalJSONPath

/// One argument of an intrinsic call, compiled at definition load: a literal, a path into the
/// input/context/variables, or a nested call (so the tree is indirect).
indirect enum IntrinsicArgument: Sendable {
    /// `'text'`, kept with its Format pieces so `\{` and `\}` stay literal braces.
    case string(IntrinsicStringLiteral)
    /// `1`, `-2.5`, `true`, `null`
    case literal(JSONValue)
    /// `$.a`, `$$.Execution.Id`, `$myVar.field`
    case path(JSONPath)
    /// `States.X(...)`
    case call(IntrinsicCall)
}
