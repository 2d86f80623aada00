import StepLocalJSON

/// One lexical unit of a JSONPath, as produced by ``JSONPathLexer`` and consumed by ``JSONPathParser``.
enum JSONPathToken: Sendable, Hashable {
    case root(JSONPath.Root)          // $  $$  $name
    case current                      // @
    case dot                          // .
    case deepScan                     // ..
    case leftBracket, rightBracket    // [ ]
    case leftParen, rightParen        // ( )
    case comma, colon, star, question // , : * ?
    case not                          // !
    case and, or                      // && ||
    case comparison(JSONPathOperator) // == != < <= > >= =~
    case string(String)               // 'a' "a"
    case number(JSONNumber)           // 1 -2 1.5
    case word(String)                 // true false null in nin size ...
    case regex(pattern: String, ignoreCase: Bool) // /.../i
    case end
}
