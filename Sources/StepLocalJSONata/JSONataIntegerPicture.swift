/// An analysed XPath `format-integer` picture (`#,##0`, `w`, `I`, `a`, `0;o`), shared by
/// `$formatInteger`, `$parseInteger` and date/time components. Ported from jsonata-js `datetime.js`.
struct JSONataIntegerPicture {
    enum Primary { case decimal, letters, roman, words, sequence }
    enum Case { case upper, lower, title }

    var primary: Primary = .decimal
    var letterCase: Case = .lower
    var ordinal = false
    var zeroCode: UInt32 = 0x30
    var mandatoryDigits = 0
    var optionalDigits = 0
    var regular = false
    var regularSeparator: (position: Int, character: String) = (0, "")
    var separators: [(position: Int, character: String)] = []
    var token = ""

    static let decimalGroups: [UInt32] = [
        0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
        0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    ]

    init(_ picture: String) throws(JSONataError) {
        var primaryFormat = picture
        if let semi = picture.lastIndex(of: ";") {
            primaryFormat = String(picture[..<semi])
            let modifier = picture[picture.index(after: semi)...]
            if modifier.first == "o" { ordinal = true }
        }
        switch primaryFormat {
        case "A": letterCase = .upper; primary = .letters
        case "a": primary = .letters
        case "I": letterCase = .upper; primary = .roman
        case "i": primary = .roman
        case "W": letterCase = .upper; primary = .words
        case "Ww": letterCase = .title; primary = .words
        case "w": primary = .words
        default:
            var zero: UInt32? = nil
            var separatorPosition = 0
            var groupingSeparators: [(Int, String)] = []
            for u in primaryFormat.unicodeScalars.reversed() {
                var digit = false
                for g in JSONataIntegerPicture.decimalGroups where u.value >= g && u.value <= g + 9 {
                    digit = true
                    mandatoryDigits += 1
                    separatorPosition += 1
                    if zero == nil { zero = g } else if zero != g { throw JSONataError.make("D3131") }
                    break
                }
                if !digit {
                    if u == "#" {
                        separatorPosition += 1
                        optionalDigits += 1
                    } else {
                        groupingSeparators.append((separatorPosition, String(u)))
                    }
                }
            }
            if mandatoryDigits > 0 {
                primary = .decimal
                zeroCode = zero ?? 0x30
                let reg = JSONataIntegerPicture.regularRepeat(groupingSeparators)
                if reg > 0 {
                    regular = true
                    regularSeparator = (reg, groupingSeparators[0].1)
                } else {
                    separators = groupingSeparators
                }
            } else {
                primary = .sequence
                token = primaryFormat
            }
        }
    }

    private static func regularRepeat(_ seps: [(Int, String)]) -> Int {
        guard let first = seps.first else { return 0 }
        if seps.contains(where: { $0.1 != first.1 }) { return 0 }
        let positions = seps.map(\.0)
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let factor = positions.dropFirst().reduce(positions[0], gcd)
        if factor == 0 { return 0 }
        for i in 1...positions.count where !positions.contains(i * factor) { return 0 }
        return factor
    }

    func format(_ valueIn: Int64) throws(JSONataError) -> String {
        let negative = valueIn < 0
        let value = valueIn.magnitude
        var out: String
        switch primary {
        case .letters:
            out = JSONataIntegerPicture.letters(value, upper: letterCase == .upper)
        case .roman:
            out = JSONataIntegerPicture.roman(value)
            if letterCase == .upper { out = out.uppercased() }
        case .words:
            out = JSONataIntegerPicture.words(value, ordinal: ordinal)
            if letterCase == .upper { out = out.uppercased() } else if letterCase == .lower { out = out.lowercased() }
        case .decimal:
            var chars = Array(String(value))
            if mandatoryDigits > chars.count {
                chars = Array(repeating: "0", count: mandatoryDigits - chars.count) + chars
            }
            if zeroCode != 0x30 {
                chars = chars.map { c in
                    let v = c.unicodeScalars.first!.value - 0x30 + zeroCode
                    return Character(Unicode.Scalar(v)!)
                }
            }
            if regular {
                let n = (chars.count - 1) / regularSeparator.position
                var i = n
                while i > 0 {
                    let pos = chars.count - i * regularSeparator.position
                    chars.insert(contentsOf: Array(regularSeparator.character), at: pos)
                    i -= 1
                }
            } else {
                for sep in separators.reversed() {
                    let pos = chars.count - sep.position
                    if pos >= 0 { chars.insert(contentsOf: Array(sep.character), at: pos) }
                }
            }
            out = String(chars)
            if ordinal {
                let last = chars.last
                var suffix = last == "1" ? "st" : last == "2" ? "nd" : last == "3" ? "rd" : "th"
                if chars.count > 1, chars[chars.count - 2] == "1" { suffix = "th" }
                out += suffix
            }
        case .sequence:
            throw JSONataError(code: "D3130", message: "Formatting an integer as a sequence starting with \(token) is not supported by this implementation")
        }
        return negative ? "-" + out : out
    }

    func parse(_ text: String) throws(JSONataError) -> Double? {
        switch primary {
        case .letters:
            let a: UInt32 = letterCase == .upper ? 65 : 97
            var decimal = 0.0
            for (i, u) in text.unicodeScalars.reversed().enumerated() {
                decimal += Double(Int(u.value) - Int(a) + 1) * JSONataIntegerPicture.Foundation_pow(26, i)
            }
            return decimal
        case .roman:
            return Double(JSONataIntegerPicture.romanToDecimal(text.uppercased()))
        case .words:
            return JSONataIntegerPicture.wordsToNumber(text.lowercased())
        case .decimal:
            var digits = Array(text)
            if ordinal { digits = Array(digits.dropLast(2)) }
            if regular {
                digits.removeAll { String($0) == "," || String($0) == regularSeparator.character }
            } else {
                for sep in separators { digits.removeAll { String($0) == sep.character } }
            }
            if zeroCode != 0x30 {
                digits = digits.map { c in Character(Unicode.Scalar(c.unicodeScalars.first!.value - zeroCode + 0x30)!) }
            }
            let prefix = String(digits).prefix { $0.isASCII && ($0.isNumber || $0 == "-") }
            return Double(String(prefix))
        case .sequence:
            throw JSONataError(code: "D3130", message: "Formatting an integer as a sequence starting with \(token) is not supported by this implementation")
        }
    }

    private static func Foundation_pow(_ b: Int, _ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<e { r *= Double(b) }
        return r
    }

    static func letters(_ v: UInt64, upper: Bool) -> String {
        var value = v
        var out: [Character] = []
        let a: UInt64 = upper ? 65 : 97
        while value > 0 {
            out.insert(Character(Unicode.Scalar(UInt8((value - 1) % 26 + a))), at: 0)
            value = (value - 1) / 26
        }
        return String(out)
    }

    static let romanNumerals: [(UInt64, String)] = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
        (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]

    static func roman(_ v: UInt64) -> String {
        var value = v
        var out = ""
        while value > 0 {
            for (n, s) in romanNumerals where value >= n {
                out += s
                value -= n
                break
            }
        }
        return out
    }

    static func romanToDecimal(_ s: String) -> Int {
        let values: [Character: Int] = ["M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1]
        var decimal = 0
        var maxV = 1
        for c in s.reversed() {
            let v = values[c] ?? 0
            if v < maxV { decimal -= v } else {
                maxV = v
                decimal += v
            }
        }
        return decimal
    }

    static let few = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
                      "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"]
    static let ordinals = ["Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
                           "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"]
    static let decades = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"]
    static let magnitudes = ["Thousand", "Million", "Billion", "Trillion"]

    static func words(_ value: UInt64, ordinal: Bool) -> String {
        func lookup(_ num: UInt64, _ prev: Bool, _ ord: Bool) -> String {
            var words = ""
            if num <= 19 {
                words = (prev ? " and " : "") + (ord ? ordinals[Int(num)] : few[Int(num)])
            } else if num < 100 {
                let tens = Int(num / 10)
                let remainder = num % 10
                words = (prev ? " and " : "") + decades[tens - 2]
                if remainder > 0 {
                    words += "-" + lookup(remainder, false, ord)
                } else if ord {
                    words = String(words.dropLast()) + "ieth"
                }
            } else if num < 1000 {
                let hundreds = Int(num / 100)
                let remainder = num % 100
                words = (prev ? ", " : "") + few[hundreds] + " Hundred"
                if remainder > 0 {
                    words += lookup(remainder, true, ord)
                } else if ord {
                    words += "th"
                }
            } else {
                var mag = Int((Double(String(num))!.magnitude.log10Value) / 3)
                if mag > magnitudes.count { mag = magnitudes.count }
                var factor: UInt64 = 1
                for _ in 0..<(mag * 3) { factor *= 10 }
                let mant = num / factor
                let remainder = num - mant * factor
                words = (prev ? ", " : "") + lookup(mant, false, false) + " " + magnitudes[mag - 1]
                if remainder > 0 {
                    words += lookup(remainder, true, ord)
                } else if ord {
                    words += "th"
                }
            }
            return words
        }
        return lookup(value, false, ordinal)
    }

    static let wordValues: [String: Double] = {
        var d: [String: Double] = [:]
        for (i, w) in few.enumerated() { d[w.lowercased()] = Double(i) }
        for (i, w) in ordinals.enumerated() { d[w.lowercased()] = Double(i) }
        for (i, w) in decades.enumerated() {
            let lw = w.lowercased()
            d[lw] = Double((i + 2) * 10)
            d[String(lw.dropLast()) + "ieth"] = d[lw]
        }
        d["hundredth"] = 100
        for (i, w) in magnitudes.enumerated() {
            var v = 1.0
            for _ in 0..<((i + 1) * 3) { v *= 10 }
            d[w.lowercased()] = v
            d[w.lowercased() + "th"] = v
        }
        return d
    }()

    static func wordsToNumber(_ text: String) -> Double? {
        var parts: [String] = []
        var current = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == ",", i + 1 < chars.count, chars[i + 1].isWhitespace {
                parts.append(current); current = ""; i += 2; continue
            }
            if chars[i].isWhitespace, i + 4 < chars.count, String(chars[(i + 1)...(i + 3)]) == "and", chars[i + 4].isWhitespace {
                parts.append(current); current = ""; i += 5; continue
            }
            if chars[i].isWhitespace || chars[i] == "-" || chars[i] == "\\" {
                parts.append(current); current = ""; i += 1; continue
            }
            current.append(chars[i])
            i += 1
        }
        parts.append(current)
        var segs: [Double] = [0]
        for p in parts {
            guard let value = wordValues[p] else { return nil }
            if value < 100 {
                var top = segs.removeLast()
                if top >= 1000 {
                    segs.append(top)
                    top = 0
                }
                segs.append(top + value)
            } else {
                segs.append(segs.removeLast() * value)
            }
        }
        return segs.reduce(0, +)
    }
}

private extension Double {
    var log10Value: Double {
        var v = self
        var e = 0.0
        while v >= 10 { v /= 10; e += 1 }
        return e
    }
}
