import Foundation

/// Date/time and number-picture functions of the standard library.
extension JSONataBuiltins {
    static let dates: [JSONataBuiltin] = [
        JSONataBuiltin("now", "<s?s?:s>", arity: 0) { ev, a, _ throws(JSONataError) in
            .string(try JSONataDateTime.format(millis: ev.timestamp, picture: str(a, 0), timezone: str(a, 1)))
        },
        JSONataBuiltin("millis", "<:n>") { ev, _, _ throws(JSONataError) in .number(Double(ev.timestamp)) },
        JSONataBuiltin("fromMillis", "<n-s?s?:s>") { _, a, _ throws(JSONataError) in
            guard let ms = num(a, 0) else { return nil }
            return .string(try JSONataDateTime.format(millis: JSONataClamp.int64(ms.rounded(.down)), picture: str(a, 1), timezone: str(a, 2)))
        },
        JSONataBuiltin("toMillis", "<s-s?:n>") { ev, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            return try JSONataDateTime.parse(s, picture: str(a, 1), now: ev.timestamp).map { .number(Double($0)) }
        },
        JSONataBuiltin("formatNumber", "<n-so?:s>") { _, a, _ throws(JSONataError) in
            guard let d = num(a, 0), let picture = str(a, 1) else { return nil }
            return .string(try JSONataNumberFormat.formatNumber(d, picture, options: arg(a, 2)?.objectEntries))
        },
        JSONataBuiltin("formatInteger", "<n-s:s>") { _, a, _ throws(JSONataError) in
            guard let d = num(a, 0), let picture = str(a, 1) else { return nil }
            return .string(try JSONataNumberFormat.formatInteger(d, picture))
        },
        JSONataBuiltin("parseInteger", "<s-s:n>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0), let picture = str(a, 1) else { return nil }
            return try JSONataNumberFormat.parseInteger(s, picture).map { .number($0) }
        },
    ]
}
