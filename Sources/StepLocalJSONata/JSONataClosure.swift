/// A lambda value: parameters, body and the frame and context it was created in. Thunks are the
/// tail calls the optimiser wrapped; the trampoline in `apply` runs them without growing the stack.
final class JSONataClosure {
    let parameters: [String]
    let signature: JSONataSignature?
    let body: JSONataNode
    let input: JSONataValue?
    let frame: JSONataFrame
    let thunk: Bool

    init(parameters: [String], signature: JSONataSignature?, body: JSONataNode, input: JSONataValue?, frame: JSONataFrame, thunk: Bool) {
        self.parameters = parameters
        self.signature = signature
        self.body = body
        self.input = input
        self.frame = frame
        self.thunk = thunk
    }
}
