/// The hidden properties jsonata-js hangs on arrays, which decide how results flatten:
/// a *sequence* is a result collection (unwrapped when it has one item), *keepSingleton* keeps it an
/// array (`[]` suffix), *cons* marks an array written with `[...]` (never flattened into a path),
/// *outerWrapper* marks a top-level array input wrapped so it counts as one item.
struct JSONataArrayFlags: OptionSet, Sendable {
    let rawValue: UInt8
    static let sequence = JSONataArrayFlags(rawValue: 1)
    static let keepSingleton = JSONataArrayFlags(rawValue: 2)
    static let cons = JSONataArrayFlags(rawValue: 4)
    static let outerWrapper = JSONataArrayFlags(rawValue: 8)
}
