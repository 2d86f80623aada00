import Foundation

/// `$formatNumber`: the XPath F&O 3.1 §4.7 decimal-format picture language, ported from
/// jsonata-js `formatNumber` (including its quirks, e.g. fractional grouping positions searched
/// in the integer part, and the last validation error found winning). Pictures are handled as
/// arrays of `Character`s; properties may be several characters long (`"per-mille": "pm"`).
struct JSONataDecimalFormat {
    var decimalSeparator: [Character] = ["."]
    var groupingSeparator: [Character] = [","]
    var exponentSeparator: [Character] = ["e"]
    var minusSign: [Character] = ["-"]
    var percent: [Character] = ["%"]
    var perMille: [Character] = ["\u{2030}"]
    var zeroDigit: [Character] = ["0"]
    var digit: [Character] = ["#"]
    var patternSeparator: [Character] = [";"]

    mutating func set(_ key: String, _ value: String) {
        let v = Array(value)
        switch key {
        case "decimal-separator": decimalSeparator = v
        case "grouping-separator": groupingSeparator = v
        case "exponent-separator": exponentSeparator = v
        case "minus-sign": minusSign = v
        case "percent": percent = v
        case "per-mille": perMille = v
        case "zero-digit": zeroDigit = v
        case "digit": digit = v
        case "pattern-separator": patternSeparator = v
        default: break
        }
    }

    private struct Parts {
        var prefix: [Character]
        var suffix: [Character]
        var activePart: [Character]
        var mantissaPart: [Character]
        var exponentPart: [Character]?
        var integerPart: [Character]
        var fractionalPart: [Character]
        var subpicture: [Character]
    }

    private struct Analysis {
        var integerPartGroupingPositions: [Int]
        var regularGrouping: Int
        var minimumIntegerPartSize: Int
        var scalingFactor: Int
        var prefix: [Character]
        var fractionalPartGroupingPositions: [Int]
        var minimumFractionalPartSize: Int
        var maximumFractionalPartSize: Int
        var minimumExponentSize: Int
        var suffix: [Character]
        var picture: [Character]
    }

    // MARK: string helpers (JavaScript indexOf/lastIndexOf on character arrays)

    private static func indexOf(_ s: [Character], _ sub: [Character], from: Int = 0) -> Int {
        guard !sub.isEmpty else { return min(max(from, 0), s.count) }
        var i = max(from, 0)
        while i + sub.count <= s.count {
            if s[i] == sub[0], Array(s[i..<(i + sub.count)]) == sub { return i }
            i += 1
        }
        return -1
    }

    private static func lastIndexOf(_ s: [Character], _ sub: [Character]) -> Int {
        guard !sub.isEmpty, sub.count <= s.count else { return sub.isEmpty ? s.count : -1 }
        var i = s.count - sub.count
        while i >= 0 {
            if Array(s[i..<(i + sub.count)]) == sub { return i }
            i -= 1
        }
        return -1
    }

    private static func slice(_ s: [Character], _ from: Int, _ to: Int? = nil) -> [Character] {
        let a = min(max(from, 0), s.count)
        let b = min(max(to ?? s.count, a), s.count)
        return Array(s[a..<b])
    }

    private static func charAt(_ s: [Character], _ i: Int) -> [Character] {
        i >= 0 && i < s.count ? [s[i]] : []
    }

    // MARK: format

    func format(_ value: Double, _ pictureText: String) throws(JSONataError) -> String {
        let zeroScalar = zeroDigit.first?.unicodeScalars.first?.value ?? 48
        var family: [Character] = []
        for i in 0..<10 {
            if let u = Unicode.Scalar(zeroScalar + UInt32(i)) { family.append(Character(u)) }
        }
        // Active characters, single-character properties only (as JavaScript's array indexOf of a char).
        var active = Set(family)
        for p in [decimalSeparator, exponentSeparator, groupingSeparator, digit, patternSeparator] where p.count == 1 {
            active.insert(p[0])
        }
        let isDigit = { (c: Character) in family.contains(c) }
        let isDigitOrOptional = { (c: Character) in family.contains(c) || [c] == self.digit }

        let picture = Array(pictureText)
        var subPictures: [[Character]] = []
        do {
            var rest = picture
            while true {
                let i = Self.indexOf(rest, patternSeparator)
                if i < 0 || patternSeparator.isEmpty { subPictures.append(rest); break }
                subPictures.append(Array(rest[..<i]))
                rest = Array(rest[(i + patternSeparator.count)...])
            }
        }
        if subPictures.count > 2 { throw JSONataError.make("D3080") }

        let exponentIsActiveChar = exponentSeparator.count == 1
        func isActiveNonExponent(_ c: Character) -> Bool {
            active.contains(c) && !(exponentIsActiveChar && c == exponentSeparator[0])
        }

        func splitParts(_ sub: [Character]) -> Parts {
            var prefix: [Character] = []
            if let i = sub.firstIndex(where: isActiveNonExponent) { prefix = Array(sub[..<i]) }
            var suffix: [Character] = []
            if let i = sub.lastIndex(where: isActiveNonExponent) { suffix = Array(sub[(i + 1)...]) }
            let activePart = Self.slice(sub, prefix.count, sub.count - suffix.count)
            var mantissaPart = activePart
            var exponentPart: [Character]? = nil
            let exponentPosition = Self.indexOf(sub, exponentSeparator, from: prefix.count)
            if exponentPosition != -1, exponentPosition <= sub.count - suffix.count {
                mantissaPart = Self.slice(activePart, 0, exponentPosition)
                exponentPart = Self.slice(activePart, exponentPosition + 1)
            }
            let integerPart: [Character]
            let fractionalPart: [Character]
            let decimalPosition = Self.indexOf(mantissaPart, decimalSeparator)
            if decimalPosition == -1 {
                integerPart = mantissaPart
                fractionalPart = suffix
            } else {
                integerPart = Self.slice(mantissaPart, 0, decimalPosition)
                fractionalPart = Self.slice(mantissaPart, decimalPosition + 1)
            }
            return Parts(prefix: prefix, suffix: suffix, activePart: activePart, mantissaPart: mantissaPart, exponentPart: exponentPart,
                         integerPart: integerPart, fractionalPart: fractionalPart, subpicture: sub)
        }

        func validate(_ parts: Parts) throws(JSONataError) {
            var error: String? = nil
            let sub = parts.subpicture
            let decimalPos = Self.indexOf(sub, decimalSeparator)
            if decimalPos != Self.lastIndexOf(sub, decimalSeparator) { error = "D3081" }
            if Self.indexOf(sub, percent) != Self.lastIndexOf(sub, percent) { error = "D3082" }
            if Self.indexOf(sub, perMille) != Self.lastIndexOf(sub, perMille) { error = "D3083" }
            if Self.indexOf(sub, percent) != -1, Self.indexOf(sub, perMille) != -1 { error = "D3084" }
            if !parts.mantissaPart.contains(where: isDigitOrOptional) { error = "D3085" }
            if parts.activePart.contains(where: { !active.contains($0) }) { error = "D3086" }
            if decimalPos != -1 {
                if Self.charAt(sub, decimalPos - 1) == groupingSeparator || Self.charAt(sub, decimalPos + 1) == groupingSeparator {
                    error = "D3087"
                }
            } else if Self.charAt(parts.integerPart, parts.integerPart.count - 1) == groupingSeparator {
                error = "D3088"
            }
            if Self.indexOf(sub, groupingSeparator + groupingSeparator) != -1 { error = "D3089" }
            var optionalDigitPos = Self.indexOf(parts.integerPart, digit)
            if optionalDigitPos != -1, Self.slice(parts.integerPart, 0, optionalDigitPos).contains(where: isDigit) { error = "D3090" }
            optionalDigitPos = Self.lastIndexOf(parts.fractionalPart, digit)
            if optionalDigitPos != -1, Self.slice(parts.fractionalPart, optionalDigitPos).contains(where: isDigit) { error = "D3091" }
            if let e = parts.exponentPart {
                if !e.isEmpty, Self.indexOf(sub, percent) != -1 || Self.indexOf(sub, perMille) != -1 { error = "D3092" }
                if e.isEmpty || e.contains(where: { !isDigit($0) }) { error = "D3093" }
            }
            if let error { throw JSONataError.make(error) }
        }

        func groupingPositions(_ part: [Character], _ integerPart: [Character], toLeft: Bool) -> [Int] {
            var positions: [Int] = []
            var g = Self.indexOf(part, groupingSeparator)
            while g != -1 {
                let side = toLeft ? Self.slice(part, 0, g) : Self.slice(part, g)
                positions.append(side.filter(isDigitOrOptional).count)
                // jsonata-js searches the integer part for the next separator, whichever part it is.
                g = Self.indexOf(integerPart, groupingSeparator, from: g + 1)
            }
            return positions
        }

        func analyse(_ parts: Parts) -> Analysis {
            let integerPositions = groupingPositions(parts.integerPart, parts.integerPart, toLeft: false)
            var regular = 0
            if !integerPositions.isEmpty {
                func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
                let factor = integerPositions.dropFirst().reduce(integerPositions[0], gcd)
                regular = factor
                for index in 1...integerPositions.count where !integerPositions.contains(index * factor) {
                    regular = 0
                    break
                }
            }
            let fractionalPositions = groupingPositions(parts.fractionalPart, parts.integerPart, toLeft: true)
            var minimumIntegerPartSize = parts.integerPart.filter(isDigit).count
            let scalingFactor = minimumIntegerPartSize
            var minimumFractionalPartSize = parts.fractionalPart.filter(isDigit).count
            var maximumFractionalPartSize = parts.fractionalPart.filter(isDigitOrOptional).count
            let exponentPresent = parts.exponentPart != nil
            if minimumIntegerPartSize == 0, maximumFractionalPartSize == 0 {
                if exponentPresent {
                    minimumFractionalPartSize = 1
                    maximumFractionalPartSize = 1
                } else {
                    minimumIntegerPartSize = 1
                }
            }
            if exponentPresent, minimumIntegerPartSize == 0, Self.indexOf(parts.integerPart, digit) != -1 {
                minimumIntegerPartSize = 1
            }
            if minimumIntegerPartSize == 0, minimumFractionalPartSize == 0 { minimumFractionalPartSize = 1 }
            let minimumExponentSize = parts.exponentPart?.filter(isDigit).count ?? 0
            return Analysis(
                integerPartGroupingPositions: integerPositions, regularGrouping: regular, minimumIntegerPartSize: minimumIntegerPartSize,
                scalingFactor: scalingFactor, prefix: parts.prefix, fractionalPartGroupingPositions: fractionalPositions,
                minimumFractionalPartSize: minimumFractionalPartSize, maximumFractionalPartSize: maximumFractionalPartSize,
                minimumExponentSize: minimumExponentSize, suffix: parts.suffix, picture: parts.subpicture)
        }

        let parts = subPictures.map(splitParts)
        for p in parts { try validate(p) }
        var variables = parts.map(analyse)
        if variables.count == 1 {
            var negative = variables[0]
            negative.prefix = minusSign + negative.prefix
            variables.append(negative)
        }
        let pic = value >= 0 ? variables[0] : variables[1]
        var adjusted = value
        if Self.indexOf(pic.picture, percent) != -1 {
            adjusted = value * 100
        } else if Self.indexOf(pic.picture, perMille) != -1 {
            adjusted = value * 1000
        }
        var mantissa = adjusted
        var exponent: Int? = nil
        if pic.minimumExponentSize != 0 {
            let maxMantissa = pow10(pic.scalingFactor)
            let minMantissa = pow10(pic.scalingFactor - 1)
            mantissa = abs(adjusted)
            var e = 0
            if mantissa != 0, mantissa.isFinite {
                while mantissa < minMantissa { mantissa *= 10; e -= 1 }
                while mantissa > maxMantissa { mantissa /= 10; e += 1 }
            }
            exponent = e
        }
        let rounded = JSONataBuiltins.roundHalfEven(mantissa, pic.maximumFractionalPartSize)

        func makeString(_ v: Double, _ dp: Int) -> [Character] {
            var text = Array(toFixed(abs(v), dp))
            if zeroDigit != ["0"] {
                text = text.map { c in
                    if let a = c.asciiValue, a >= 48, a <= 57 { return family[Int(a) - 48] }
                    return c
                }
            }
            return text
        }

        let zero = zeroDigit
        var str = makeString(rounded, pic.maximumFractionalPartSize)
        if let dot = str.firstIndex(of: ".") {
            str.replaceSubrange(dot...dot, with: decimalSeparator)
        } else {
            str += decimalSeparator
        }
        while !zero.isEmpty, Self.charAt(str, 0) == zero { str.removeFirst() }
        while !zero.isEmpty, Self.charAt(str, str.count - 1) == zero { str.removeLast() }
        var decimalPos = Self.indexOf(str, decimalSeparator)
        let padLeft = pic.minimumIntegerPartSize - decimalPos
        let padRight = pic.minimumFractionalPartSize - (str.count - decimalPos - 1)
        if padLeft > 0 { str = Array(repeating: zero, count: padLeft).flatMap { $0 } + str }
        if padRight > 0 { str += Array(repeating: zero, count: padRight).flatMap { $0 } }
        decimalPos = Self.indexOf(str, decimalSeparator)
        if pic.regularGrouping > 0 {
            let groupCount = (decimalPos - 1) / pic.regularGrouping
            if groupCount >= 1 {
                for group in 1...groupCount {
                    let at = decimalPos - group * pic.regularGrouping
                    str = Self.slice(str, 0, at) + groupingSeparator + Self.slice(str, at)
                }
            }
        } else {
            for pos in pic.integerPartGroupingPositions {
                let at = decimalPos - pos
                str = Self.slice(str, 0, at) + groupingSeparator + Self.slice(str, at)
                decimalPos += 1
            }
        }
        decimalPos = Self.indexOf(str, decimalSeparator)
        for pos in pic.fractionalPartGroupingPositions {
            let at = pos + decimalPos + 1
            str = Self.slice(str, 0, at) + groupingSeparator + Self.slice(str, at)
        }
        decimalPos = Self.indexOf(str, decimalSeparator)
        if (pic.fractionalPartGroupingPositions.isEmpty && pic.maximumFractionalPartSize == 0) || decimalPos == str.count - 1 {
            str = Self.slice(str, 0, str.count - 1)
        }
        if let exponent {
            var exp = makeString(Double(exponent), 0)
            let pad = pic.minimumExponentSize - exp.count
            if pad > 0 { exp = Array(repeating: zero, count: pad).flatMap { $0 } + exp }
            str += exponentSeparator + (exponent < 0 ? minusSign : []) + exp
        }
        return String(pic.prefix + str + pic.suffix)
    }

    private func pow10(_ n: Int) -> Double {
        var r = 1.0
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return r
    }

    /// JavaScript's `Number.prototype.toFixed` for the magnitudes formatting meets.
    private func toFixed(_ v: Double, _ dp: Int) -> String {
        String(format: "%.\(max(0, min(dp, 100)))f", v)
    }
}
