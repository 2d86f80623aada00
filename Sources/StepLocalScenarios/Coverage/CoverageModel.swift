import StepLocalASL

/// One thing a test suite can exercise in a definition: a state entered, a Choice rule taken
/// (or its Default), a Catch handler that caught, a Retry policy that retried.
public struct CoverageItem: Hashable, Sendable, Comparable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case state, choiceRule, choiceDefault, catcher, retrier

        public static func < (a: Kind, b: Kind) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    public var kind: Kind
    /// The state the item belongs to (state names are unique in a whole definition).
    public var state: String
    /// The rule's, catcher's or retrier's index in its array; nil for a state and a Default.
    public var index: Int?

    public init(kind: Kind, state: String, index: Int? = nil) {
        self.kind = kind
        self.state = state
        self.index = index
    }

    /// How the item is named in reports: `Check`, `Check › rule 2`, `Check › Default`, `Charge › Catch 1`, `Charge › Retry 1`.
    public var label: String {
        switch kind {
        case .state: state
        case .choiceRule: "\(state) › rule \((index ?? 0) + 1)"
        case .choiceDefault: "\(state) › Default"
        case .catcher: "\(state) › Catch \((index ?? 0) + 1)"
        case .retrier: "\(state) › Retry \((index ?? 0) + 1)"
        }
    }

    public static func < (a: CoverageItem, b: CoverageItem) -> Bool {
        (a.state, a.kind, a.index ?? -1) < (b.state, b.kind, b.index ?? -1)
    }
}

/// The coverage items of one program of a definition: the top level, a Parallel branch or a Map's
/// item processor, so a report can say which branch a test suite never reached.
public struct CoverageProgram: Sendable {
    /// `(top level)`, `Both › Branch 2`, `EachItem › Item processor`.
    public var path: String
    /// In definition order: each state, then its rules, Default, catchers and retriers.
    public var items: [CoverageItem]
}

/// Everything a definition offers to cover, program by program. It is the one data model the
/// terminal table, the JSON and the Cobertura report (and later the console's graph) read.
public struct CoverageModel: Sendable {
    public var programs: [CoverageProgram]

    public init(definition: StateMachineDefinition) {
        var programs: [CoverageProgram] = []
        Self.collect(definition.program, path: "(top level)", into: &programs)
        self.programs = programs
    }

    public var items: [CoverageItem] { programs.flatMap(\.items) }

    private static func collect(_ program: StateProgram, path: String, into programs: inout [CoverageProgram]) {
        var items: [CoverageItem] = []
        var nested: [(StateProgram, String)] = []
        for name in program.stateNames {
            guard let state = program.states[name] else { continue }
            items.append(CoverageItem(kind: .state, state: name))
            if case .choice(let spec) = state.kind {
                items += spec.choices.indices.map { CoverageItem(kind: .choiceRule, state: name, index: $0) }
                if spec.defaultNext != nil { items.append(CoverageItem(kind: .choiceDefault, state: name)) }
            }
            items += state.catchers.indices.map { CoverageItem(kind: .catcher, state: name, index: $0) }
            items += state.retry.indices.map { CoverageItem(kind: .retrier, state: name, index: $0) }
            switch state.kind {
            case .parallel(let branches):
                for (index, branch) in branches.enumerated() { nested.append((branch, "\(name) › Branch \(index + 1)")) }
            case .map(let spec):
                nested.append((spec.processor, "\(name) › Item processor"))
            default:
                break
            }
        }
        programs.append(CoverageProgram(path: path, items: items))
        for (child, childPath) in nested { collect(child, path: childPath, into: &programs) }
    }
}
