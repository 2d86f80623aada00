/// One element of a tuple stream: the context item (`@`) and the variables bound so far by `@$v`,
/// `#$i` and parent (`%`) slots along a path.
struct JSONataTuple {
    var context: JSONataValue?
    var bindings: [String: JSONataValue]
}
