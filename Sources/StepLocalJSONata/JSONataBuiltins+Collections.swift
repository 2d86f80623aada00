import OrderedCollections

/// Array, object and higher-order functions of the standard library.
extension JSONataBuiltins {
    static let collections: [JSONataBuiltin] = [
        JSONataBuiltin("append", "<xx:a>") { _, a, _ throws(JSONataError) in
            JSONataEvaluator.append(arg(a, 0), arg(a, 1))
        },
        JSONataBuiltin("reverse", "<a:a>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            if arr.arrayCount <= 1 { return arr }
            return .array(arr.asItems.reversed(), [])
        },
        JSONataBuiltin("shuffle", "<a:a>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            if arr.arrayCount <= 1 { return arr }
            return .array(arr.asItems.shuffled(), [])
        },
        JSONataBuiltin("distinct", "<x:x>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            guard arr.isArray, arr.arrayCount > 1 else { return arr }
            var out: [V] = []
            for item in arr.asItems where !out.contains(where: { JSONataEvaluator.deepEqual($0, item) }) { out.append(item) }
            return seq(out)
        },
        JSONataBuiltin("zip", "<a+>") { _, a, _ throws(JSONataError) in
            let arrays = a.map { $0?.asItems ?? [] }
            let n = arrays.map(\.count).min() ?? 0
            var out: [V] = []
            for i in 0..<n {
                let tuple = arrays.map { $0[i] }
                try JSONataEvaluator.checkConstructedNesting(of: tuple, position: nil)
                out.append(.array(tuple, []))
            }
            return .array(out, [])
        },
        JSONataBuiltin("keys", "<x-:a<s>>") { _, a, _ throws(JSONataError) in
            guard let v = arg(a, 0) else { return seq([]) }
            var keys = OrderedSet<String>()
            if let items = v.arrayItems {
                for item in items { keys.append(contentsOf: item.objectKeys) }
            } else {
                keys.append(contentsOf: v.objectKeys)
            }
            return seq(keys.map { .string($0) })
        },
        JSONataBuiltin("lookup", "<x-s:x>") { _, a, _ throws(JSONataError) in
            guard let k = str(a, 1) else { return nil }
            return JSONataEvaluator.lookup(arg(a, 0), k)
        },
        JSONataBuiltin("spread", "<x-:a<o>>") { _, a, _ throws(JSONataError) in
            spread(arg(a, 0))
        },
        JSONataBuiltin("merge", "<a<o>:o>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            var out = OrderedDictionary<String, V>()
            for item in arr.asItems {
                for (k, v) in item.objectEntries ?? [:] { out[k] = v }
            }
            return .object(out)
        },
        JSONataBuiltin("each", "<o-f:a>") { ev, a, _ throws(JSONataError) in
            guard let o = arg(a, 0), let f = fn(a, 1) else { return nil }
            var out: [V] = []
            for (k, v) in o.objectEntries ?? [:] {
                var args: [V?] = [v]
                if f.arity >= 2 { args.append(.string(k)) }
                if f.arity >= 3 { args.append(o) }
                if let r = try ev.call(f, args) { out.append(r) }
            }
            return seq(out)
        },
        JSONataBuiltin("sift", "<o-f?:o>") { ev, a, _ throws(JSONataError) in
            guard let o = arg(a, 0), let f = fn(a, 1) else { return nil }
            var out = OrderedDictionary<String, V>()
            for (k, v) in o.objectEntries ?? [:] {
                var args: [V?] = [v]
                if f.arity >= 2 { args.append(.string(k)) }
                if f.arity >= 3 { args.append(o) }
                if JSONataEvaluator.boolean(try ev.call(f, args)) { out[k] = v }
            }
            return out.isEmpty ? nil : .object(out)
        },
        JSONataBuiltin("error", "<s?:x>") { _, a, _ throws(JSONataError) in
            throw JSONataError(code: "D3137", message: str(a, 0) ?? "$error() function evaluated")
        },
        JSONataBuiltin("assert", "<bs?:x>") { _, a, _ throws(JSONataError) in
            guard case .bool(let b)? = arg(a, 0) else { throw JSONataError.make("T0410") }
            if !b { throw JSONataError(code: "D3141", message: str(a, 1) ?? "$assert() statement failed") }
            return nil
        },
        JSONataBuiltin("type", "<x:s>") { _, a, _ throws(JSONataError) in
            arg(a, 0).map { .string($0.typeName) }
        },
        JSONataBuiltin("clone", "<(oa)-:o>") { _, a, _ throws(JSONataError) in arg(a, 0) },
    ]

    static func spread(_ v: V?) -> V? {
        guard let v else { return nil }
        if let items = v.arrayItems {
            var out: V? = seq([])
            for item in items { out = JSONataEvaluator.append(out, spread(item)) }
            return out
        }
        if let entries = v.objectEntries, !v.isFunction {
            var out: [V] = []
            for (k, m) in entries {
                var o = OrderedDictionary<String, V>()
                o[k] = m
                out.append(.object(o))
            }
            return seq(out)
        }
        return v
    }

    static let higherOrder: [JSONataBuiltin] = [
        JSONataBuiltin("map", "<af>") { ev, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0), let f = fn(a, 1) else { return nil }
            var out: [V] = []
            for (i, item) in arr.asItems.enumerated() {
                if let r = try ev.callHOF(f, item, i, arr) { out.append(r) }
            }
            return seq(out)
        },
        JSONataBuiltin("filter", "<af>") { ev, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0), let f = fn(a, 1) else { return nil }
            var out: [V] = []
            for (i, item) in arr.asItems.enumerated() where JSONataEvaluator.boolean(try ev.callHOF(f, item, i, arr)) {
                out.append(item)
            }
            return seq(out)
        },
        JSONataBuiltin("single", "<af?>") { ev, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            var found: V? = nil
            var hasFound = false
            for (i, item) in arr.asItems.enumerated() {
                var positive = true
                if let f = fn(a, 1) { positive = JSONataEvaluator.boolean(try ev.callHOF(f, item, i, arr)) }
                if positive {
                    if hasFound { throw JSONataError.make("D3138") }
                    found = item
                    hasFound = true
                }
            }
            if !hasFound { throw JSONataError.make("D3139") }
            return found
        },
        JSONataBuiltin("reduce", "<afj?:j>") { ev, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0), let f = fn(a, 1) else { return nil }
            let arity = f.arity
            if arity < 2 { throw JSONataError.make("D3050") }
            let items = arr.asItems
            var result: V?
            var index = 0
            if a.count < 3 || a[2] == nil, !items.isEmpty {
                result = items[0]
                index = 1
            } else {
                result = arg(a, 2)
            }
            while index < items.count {
                var args: [V?] = [result, items[index]]
                if arity >= 3 { args.append(.number(Double(index))) }
                if arity >= 4 { args.append(arr) }
                result = try ev.call(f, args)
                index += 1
            }
            return result
        },
        JSONataBuiltin("sort", "<af?:a>") { ev, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            let items = arr.asItems
            if items.count <= 1 { return arr.isArray ? arr : .array(items, []) }
            if let f = fn(a, 1) {
                return .array(try JSONataEvaluator.mergeSort(items) { (x, y) throws(JSONataError) -> Bool in
                    JSONataEvaluator.boolean(try ev.call(f, [x, y]))
                }, [])
            }
            if items.allSatisfy(\.isNumber) {
                return .array(try JSONataEvaluator.mergeSort(items) { (x, y) throws(JSONataError) -> Bool in
                    if case .number(let p) = x, case .number(let q) = y { return p > q }
                    return false
                }, [])
            }
            if items.allSatisfy(\.isString) {
                return .array(try JSONataEvaluator.mergeSort(items) { (x, y) throws(JSONataError) -> Bool in
                    if case .string(let p) = x, case .string(let q) = y { return JSONataEvaluator.compareStrings(p, q) > 0 }
                    return false
                }, [])
            }
            throw JSONataError.make("D3070")
        },
    ]
}
