import Foundation
import StepLocalJSON

/// ISO 8601 and XPath `format-dateTime` picture formatting/parsing for `$fromMillis`, `$toMillis`
/// and `$now` (UTC calendar arithmetic done here, no Foundation calendars). Ported from jsonata-js.
enum JSONataDateTime {
    struct Marker {
        var component: Character
        var widthMin: Int?
        var widthMax: Int?
        var presentation1: String
        var presentation2: Character?
        var names: JSONataIntegerPicture.Case?
        var integerFormat: JSONataIntegerPicture?
        var n = -1
    }

    enum Part {
        case literal(String)
        case marker(Marker)
    }

    static let defaultPresentation: [Character: String] = [
        "Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1", "H": "1", "h": "1",
        "P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01", "C": "n", "E": "n",
    ]

    static func analyse(_ picture: String) throws(JSONataError) -> [Part] {
        var parts: [Part] = []
        let chars = Array(picture)
        func addLiteral(_ s: Int, _ e: Int) {
            if e > s {
                parts.append(.literal(String(chars[s..<e]).replacingOccurrences(of: "]]", with: "]")))
            }
        }
        var start = 0
        var pos = 0
        while pos < chars.count {
            if chars[pos] == "[" {
                if pos + 1 < chars.count, chars[pos + 1] == "[" {
                    addLiteral(start, pos)
                    parts.append(.literal("["))
                    pos += 2
                    start = pos
                    continue
                }
                addLiteral(start, pos)
                start = pos
                guard let close = chars[start...].firstIndex(of: "]") else { throw JSONataError.make("D3135") }
                pos = close
                let marker = String(chars[(start + 1)..<pos].filter { !$0.isWhitespace })
                guard let component = marker.first else { throw JSONataError.make("D3132") }
                var def = Marker(component: component, presentation1: "")
                var presMod: String
                if let comma = marker.lastIndex(of: ",") {
                    let widthMod = String(marker[marker.index(after: comma)...])
                    let pieces = widthMod.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                    func parseWidth(_ s: String?) throws(JSONataError) -> Int? {
                        guard let s, s != "*" else { return nil }
                        let digits = s.prefix { $0.isNumber }
                        if digits.isEmpty { return nil }
                        guard let width = Int(digits), width <= maximumWidth else { throw JSONataError.make("U1004") }
                        return width
                    }
                    def.widthMin = try parseWidth(pieces[0])
                    def.widthMax = pieces.count > 1 ? try parseWidth(pieces[1]) : nil
                    // A marker that is only the comma (`[,2]`) has no presentation; its component
                    // (`,`) is then refused as unknown below, as jsonata-js refuses it.
                    presMod = comma > marker.startIndex ? String(marker[marker.index(after: marker.startIndex)..<comma]) : ""
                } else {
                    presMod = String(marker.dropFirst())
                }
                if presMod.count == 1 {
                    def.presentation1 = presMod
                } else if presMod.count > 1 {
                    let last = presMod.last!
                    if "atco".contains(last) {
                        def.presentation2 = last
                        def.presentation1 = String(presMod.dropLast())
                    } else {
                        def.presentation1 = presMod
                    }
                } else {
                    guard let d = defaultPresentation[component] else {
                        throw JSONataError(code: "D3132", message: "Unknown component specifier \(component) in date/time picture string")
                    }
                    def.presentation1 = d
                }
                if defaultPresentation[component] == nil {
                    throw JSONataError(code: "D3132", message: "Unknown component specifier \(component) in date/time picture string")
                }
                let p1 = Array(def.presentation1)
                if p1.first == "n" {
                    def.names = .lower
                } else if p1.first == "N" {
                    def.names = p1.count > 1 && p1[1] == "n" ? .title : .upper
                } else if "YMDdFWwXxHhmsf".contains(component) {
                    var pattern = def.presentation1
                    if let p2 = def.presentation2 { pattern += ";" + String(p2) }
                    var fmt = try JSONataIntegerPicture(pattern)
                    if let min = def.widthMin, fmt.mandatoryDigits < min { fmt.mandatoryDigits = min }
                    let digitWidth = fmt.mandatoryDigits
                    if component != "Y", digitWidth >= 2 { def.n = digitWidth }
                    if component == "Y" {
                        def.n = -1
                        if let max = def.widthMax {
                            def.n = max
                            fmt.mandatoryDigits = max
                        } else {
                            let w = fmt.mandatoryDigits + fmt.optionalDigits
                            if w >= 2 { def.n = w }
                        }
                    }
                    def.integerFormat = fmt
                }
                if component == "Z" || component == "z" {
                    def.integerFormat = try JSONataIntegerPicture(def.presentation1)
                }
                parts.append(.marker(def))
                start = pos + 1
            }
            pos += 1
        }
        addLiteral(start, pos)
        return parts
    }

    // MARK: UTC calendar

    static let msPerDay: Int64 = 86_400_000

    /// `Date.UTC(year, monthIndex, day, h, m, s, ms)` with JavaScript's overflow normalisation.
    static func utc(_ year: Int64, _ month0: Int64, _ day: Int64 = 1, _ h: Int64 = 0, _ mi: Int64 = 0, _ s: Int64 = 0, _ ms: Int64 = 0) -> Int64 {
        var y = year + month0 / 12
        var m = month0 % 12
        if m < 0 { m += 12; y -= 1 }
        let days = CivilCalendar.days(year: y, month: m + 1, day: 1) + day - 1
        return days * msPerDay + h * 3_600_000 + mi * 60_000 + s * 1000 + ms
    }

    struct Fields {
        let millis: Int64
        var days: Int64 { floorDiv(millis, msPerDay) }
        var civil: (year: Int64, month: Int64, day: Int64) { CivilCalendar.date(days: days) }
        var timeOfDay: Int64 { millis - days * msPerDay }
        var weekday: Int64 { // 0 = Sunday
            let w = (days + 4) % 7
            return w < 0 ? w + 7 : w
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func startOfFirstWeek(_ year: Int64, _ month: Int64) -> Int64 {
        let jan1 = utc(year, month)
        var day = Fields(millis: jan1).weekday
        if day == 0 { day = 7 }
        return day > 4 ? jan1 + (8 - day) * msPerDay : jan1 - (day - 1) * msPerDay
    }

    enum Fragment {
        case int(Int64)
        case text(String)
    }

    static func fragment(_ ms: Int64, _ component: Character) -> Fragment? {
        let f = Fields(millis: ms)
        let c = f.civil
        let tod = f.timeOfDay
        switch component {
        case "Y": return .int(c.year)
        case "M": return .int(c.month)
        case "D": return .int(c.day)
        case "d":
            let today = utc(c.year, c.month - 1, c.day)
            return .int((today - utc(c.year, 0)) / msPerDay + 1)
        case "F":
            let w = f.weekday
            return .int(w == 0 ? 7 : w)
        case "W":
            let start = startOfFirstWeek(c.year, 0)
            let today = utc(c.year, c.month - 1, c.day)
            var week = Double(today - start) / Double(msPerDay * 7) + 1
            if week > 52 {
                if today >= startOfFirstWeek(c.year + 1, 0) { week = 1 }
            } else if week < 1 {
                week = Double(today - startOfFirstWeek(c.year - 1, 0)) / Double(msPerDay * 7) + 1
            }
            return .int(Int64(week.rounded(.down)))
        case "w":
            let start = startOfFirstWeek(c.year, c.month - 1)
            let today = utc(c.year, c.month - 1, c.day)
            var week = Double(today - start) / Double(msPerDay * 7) + 1
            if week > 4 {
                let (ny, nm) = c.month == 12 ? (c.year + 1, Int64(0)) : (c.year, c.month)
                if today >= startOfFirstWeek(ny, nm) { week = 1 }
            } else if week < 1 {
                let (py, pm) = c.month == 1 ? (c.year - 1, Int64(11)) : (c.year, c.month - 2)
                week = Double(today - startOfFirstWeek(py, pm)) / Double(msPerDay * 7) + 1
            }
            return .int(Int64(week.rounded(.down)))
        case "X":
            let start = startOfFirstWeek(c.year, 0)
            let end = startOfFirstWeek(c.year + 1, 0)
            if ms < start { return .int(c.year - 1) }
            if ms >= end { return .int(c.year + 1) }
            return .int(c.year)
        case "x":
            let start = startOfFirstWeek(c.year, c.month - 1)
            let (ny, nm) = c.month == 12 ? (c.year + 1, Int64(0)) : (c.year, c.month)
            let end = startOfFirstWeek(ny, nm)
            if ms < start { return .int(c.month == 1 ? 12 : c.month - 1) }
            if ms >= end { return .int(nm + 1) }
            return .int(c.month)
        case "H": return .int(tod / 3_600_000)
        case "h":
            let h = (tod / 3_600_000) % 12
            return .int(h == 0 ? 12 : h)
        case "P": return .text(tod / 3_600_000 >= 12 ? "pm" : "am")
        case "m": return .int((tod / 60_000) % 60)
        case "s": return .int((tod / 1000) % 60)
        case "f": return .int(tod % 1000)
        case "C", "E": return .text("ISO")
        default: return nil
        }
    }

    static let days = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    // MARK: formatting

    /// JavaScript's Date range, which jsonata-js formats within: 100,000,000 days either side of 1970.
    static let maximumMillis: Int64 = 8_640_000_000_000_000
    /// The widest component a picture may ask for (`[Y,1000]`): wider would only build huge strings.
    static let maximumWidth = 1_000

    static func format(millis: Int64, picture: String?, timezone: String?) throws(JSONataError) -> String {
        guard (-maximumMillis...maximumMillis).contains(millis) else { throw JSONataError.make("U1004") }
        var offsetHours: Int64 = 0
        var offsetMinutes: Int64 = 0
        if let timezone {
            let digits = timezone.prefix { $0 == "-" || $0 == "+" || $0.isNumber }
            if let offset = Int64(digits) {
                guard (-9_999...9_999).contains(offset) else { throw JSONataError.make("U1004") }
                offsetHours = Int64((Double(offset) / 100).rounded(.down))
                offsetMinutes = offset % 100
            } else if digits.count > 5 {
                throw JSONataError.make("U1004")
            }
        }
        let parts = try analyse(picture ?? "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]")
        let shifted = millis + (60 * offsetHours + offsetMinutes) * 60_000
        var result = ""
        for part in parts {
            switch part {
            case .literal(let s): result += s
            case .marker(let m): result += try formatComponent(shifted, m, offsetHours, offsetMinutes)
            }
        }
        return result
    }

    private static func formatComponent(_ ms: Int64, _ m: Marker, _ offsetHours: Int64, _ offsetMinutes: Int64) throws(JSONataError) -> String {
        let frag = fragment(ms, m.component)
        if "YMDdFWwXxHhms".contains(m.component) {
            guard case .int(var v)? = frag else { return "" }
            if m.component == "Y", m.n > 0, m.n < 19 {
                // (19 digits or more already hold any year.)
                var p: Int64 = 1
                for _ in 0..<m.n { p *= 10 }
                v = v % p
            }
            if let names = m.names {
                var name: String
                if m.component == "M" || m.component == "x" {
                    name = months[Int(v) - 1]
                } else if m.component == "F" {
                    name = days[Int(v)]
                } else {
                    throw JSONataError(code: "D3133", message: "The 'name' modifier can only be applied to months and days in the date/time picture string, not \(m.component)")
                }
                if names == .upper { name = name.uppercased() } else if names == .lower { name = name.lowercased() }
                if let max = m.widthMax, name.count > max { name = String(name.prefix(max)) }
                return name
            }
            return try m.integerFormat?.format(v) ?? String(v)
        }
        if m.component == "f" {
            guard case .int(let v)? = frag else { return "" }
            return try m.integerFormat?.format(v) ?? String(v)
        }
        if m.component == "Z" || m.component == "z" {
            let offset = offsetHours * 100 + offsetMinutes
            var s: String
            guard let fmt = m.integerFormat else { return "" }
            if fmt.regular {
                s = try fmt.format(offset)
            } else {
                let digits = fmt.mandatoryDigits
                if digits == 1 || digits == 2 {
                    s = try fmt.format(offsetHours)
                    if offsetMinutes != 0 { s += ":" + (try JSONataIntegerPicture("00").format(offsetMinutes)) }
                } else if digits == 3 || digits == 4 {
                    s = try fmt.format(offset)
                } else {
                    throw JSONataError.make("D3134")
                }
            }
            if offset >= 0 { s = "+" + s }
            if m.component == "z" { s = "GMT" + s }
            if offset == 0, m.presentation2 == "t" { s = "Z" }
            return s
        }
        if case .text(let t)? = frag {
            if m.component == "P" {
                if m.names == .upper { return t.uppercased() }
                return t
            }
            return t
        }
        return ""
    }

    // MARK: parsing

    static func parse(_ s: String, picture: String?, now: Int64) throws(JSONataError) -> Int64? {
        guard let picture else { return try parseISO(s) }
        let parts = try analyse(picture)
        var regex = "^"
        var parsers: [(Character, (String) -> Int64?)] = []
        for part in parts {
            switch part {
            case .literal(let lit):
                regex += "(" + NSRegularExpression.escapedPattern(for: lit) + ")"
                parsers.append(("_", { _ in nil }))
            case .marker(let m):
                if m.component == "Z" || m.component == "z" {
                    var sep: String? = nil
                    if let f = m.integerFormat, f.regular { sep = f.regularSeparator.character }
                    var r = m.component == "z" ? "GMT" : ""
                    r += "[-+][0-9]+"
                    if let sep { r += NSRegularExpression.escapedPattern(for: sep) + "[0-9]+" }
                    regex += "(" + r + ")"
                    let isZ = m.component == "z"
                    parsers.append((m.component, { value in
                        var v = value
                        if isZ { v = String(v.dropFirst(3)) }
                        var h: Int64 = 0
                        var mi: Int64 = 0
                        if let sep, let r = v.range(of: sep) {
                            h = Int64(v[..<r.lowerBound]) ?? 0
                            mi = Int64(v[r.upperBound...]) ?? 0
                        } else if v.count - 1 <= 2 {
                            h = Int64(v) ?? 0
                        } else {
                            h = Int64(v.prefix(3)) ?? 0
                            mi = Int64(v.dropFirst(3)) ?? 0
                        }
                        return h * 60 + mi
                    }))
                } else if let fmt = m.integerFormat {
                    let occurrences = m.n > 0 ? "{\(m.n)}" : "+"
                    var r: String
                    switch fmt.primary {
                    case .letters: r = fmt.letterCase == .upper ? "[A-Z]+" : "[a-z]+"
                    case .roman: r = fmt.letterCase == .upper ? "[MDCLXVI]+" : "[mdclxvi]+"
                    case .words:
                        r = "(?:" + (JSONataIntegerPicture.wordValues.keys.sorted { $0.count > $1.count } + ["and", "[\\-, ]"]).joined(separator: "|") + ")+"
                    case .decimal:
                        r = "[0-9]\(occurrences)"
                        if fmt.ordinal { r += "(?:th|st|nd|rd)" }
                    case .sequence:
                        throw JSONataError.make("D3130")
                    }
                    regex += "(" + r + ")"
                    parsers.append((m.component, { value in
                        guard let d = try? fmt.parse(value), d.isFinite else { return nil }
                        return JSONataClamp.int64(d)
                    }))
                } else {
                    regex += "([a-zA-Z]+)"
                    var lookup: [String: Int64] = [:]
                    if m.component == "M" || m.component == "x" {
                        for (i, name) in months.enumerated() {
                            lookup[m.widthMax.map { String(name.prefix($0)) } ?? name] = Int64(i + 1)
                        }
                    } else if m.component == "F" {
                        for (i, name) in days.enumerated() where i > 0 {
                            lookup[m.widthMax.map { String(name.prefix($0)) } ?? name] = Int64(i)
                        }
                    } else if m.component == "P" {
                        lookup = ["am": 0, "AM": 0, "pm": 1, "PM": 1]
                    } else {
                        throw JSONataError.make("D3133")
                    }
                    let table = lookup
                    parsers.append((m.component, { value in
                        table[value] ?? table.first(where: { $0.key.lowercased() == value.lowercased() })?.value
                    }))
                }
            }
        }
        regex += "$"
        guard let re = try? NSRegularExpression(pattern: regex, options: [.caseInsensitive]) else { return nil }
        let ns = s as NSString
        guard let match = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        var components: [Character: Int64] = [:]
        for (i, p) in parsers.enumerated() where p.0 != "_" {
            let r = match.range(at: i + 1)
            guard r.location != NSNotFound else { continue }
            if let v = p.1(ns.substring(with: r)) { components[p.0] = v }
        }
        if components.isEmpty { return nil }
        func isType(_ type: Int, _ mask: Int) -> Bool { (~type & mask) == 0 && (type & mask) != 0 }
        var mask = 0
        for c in "YXMxWwdD" { mask = (mask << 1) + (components[c] != nil ? 1 : 0) }
        let dateA = isType(161, mask)
        let dateB = !dateA && isType(130, mask)
        let dateC = isType(84, mask)
        let dateD = !dateC && isType(72, mask)
        mask = 0
        for c in "PHhmsf" { mask = (mask << 1) + (components[c] != nil ? 1 : 0) }
        let timeA = isType(23, mask)
        let timeB = !timeA && isType(47, mask)
        let dateComps = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD"
        let timeComps = timeB ? "Phmsf" : "Hmsf"
        var startSpecified = false
        var endSpecified = false
        for part in dateComps + timeComps {
            if components[part] == nil {
                if startSpecified {
                    components[part] = "MDd".contains(part) ? 1 : 0
                    endSpecified = true
                } else if case .int(let v)? = fragment(now, part) {
                    components[part] = v
                } else if case .text(let t)? = fragment(now, part) {
                    components[part] = t == "pm" ? 1 : 0
                }
            } else {
                startSpecified = true
                if endSpecified { throw JSONataError.make("D3136") }
            }
        }
        var month = (components["M"] ?? 0) > 0 ? components["M"]! - 1 : 0
        var day = components["D"] ?? 1
        if dateB {
            let derived = utc(components["Y"] ?? 1970, 0) + ((components["d"] ?? 1) - 1) * msPerDay
            let c = Fields(millis: derived).civil
            month = c.month - 1
            day = c.day
        }
        if dateC || dateD { throw JSONataError.make("D3136") }
        var hour = components["H"] ?? 0
        if timeB {
            hour = components["h"] == 12 ? 0 : (components["h"] ?? 0)
            if components["P"] == 1 { hour += 12 }
        }
        var millis = utc(components["Y"] ?? 1970, month, day, hour, components["m"] ?? 0, components["s"] ?? 0, components["f"] ?? 0)
        if let z = components["Z"] ?? components["z"] { millis -= z * 60_000 }
        return millis
    }

    /// `Date.parse` for the ISO 8601 forms jsonata accepts (validated by its regex first).
    static func parseISO(_ s: String) throws(JSONataError) -> Int64 {
        let pattern = "^(\\d{4})(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$"
        let re = try? NSRegularExpression(pattern: pattern)
        let ns = s as NSString
        guard let m = re?.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else {
            throw JSONataError(code: "D3110", message: "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \(s)")
        }
        func group(_ i: Int) -> String? {
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        let datePart = s.prefix { $0 != "T" }.split(separator: "-").map { Int64($0.prefix(2 + ($0.count > 2 ? $0.count - 2 : 0))) ?? 1 }
        let year = Int64(group(1)!)!
        let month = datePart.count > 1 ? datePart[1] : 1
        let day = datePart.count > 2 ? datePart[2] : 1
        var h: Int64 = 0, mi: Int64 = 0, sec: Int64 = 0
        if let t = group(4) {
            let p = t.dropFirst().split(separator: ":").map { Int64($0)! }
            h = p[0]; mi = p[1]; sec = p[2]
        }
        var ms: Int64 = 0
        if let f = group(5) {
            let digits = String(f.dropFirst().prefix(3))
            ms = Int64(digits.padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
        }
        var millis = utc(year, month - 1, day, h, mi, sec, ms)
        if let z = group(6), z != "Z" {
            let sign: Int64 = z.hasPrefix("-") ? -1 : 1
            let digits = z.dropFirst().filter { $0 != ":" }
            let oh = Int64(digits.prefix(2)) ?? 0
            let om = Int64(digits.dropFirst(2)) ?? 0
            millis -= sign * (oh * 60 + om) * 60_000
        }
        return millis
    }
}
