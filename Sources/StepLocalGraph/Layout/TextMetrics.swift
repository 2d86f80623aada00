/// Estimates how wide text is drawn, without a font engine, and shortens it with "…": node
/// sizes and truncation must be deterministic and identical on every machine.
enum TextMetrics {
    /// Average advance of a Latin character in the 12 px sans-serif the SVG uses.
    static let narrowAdvance = 6.8
    /// CJK ideographs, Hangul, full-width forms and emoji take about one em.
    static let wideAdvance = 12.0

    /// The width of `text` at 12 px, scaled by `fontSize / 12`.
    static func width(of text: String, fontSize: Double = 12) -> Double {
        var total = 0.0
        for character in text { total += advance(of: character) }
        return total * fontSize / 12
    }

    static func advance(of character: Character) -> Double {
        guard let scalar = character.unicodeScalars.first?.value else { return narrowAdvance }
        switch scalar {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return wideAdvance
        case 0x20...0x7E where "ilj.,:;'|!".contains(character):
            return narrowAdvance * 0.55
        case 0x41...0x5A where "MW".contains(character):
            return narrowAdvance * 1.35
        default:
            return narrowAdvance
        }
    }

    /// `text` itself when it fits in `maxWidth`, otherwise its longest prefix (whole
    /// characters) that fits with a trailing "…".
    static func truncated(_ text: String, toWidth maxWidth: Double, fontSize: Double = 12) -> String {
        if width(of: text, fontSize: fontSize) <= maxWidth { return text }
        let budget = maxWidth - width(of: "…", fontSize: fontSize)
        var result = ""
        var used = 0.0
        for character in text {
            let w = advance(of: character) * fontSize / 12
            if used + w > budget { break }
            used += w
            result.append(character)
        }
        return trimmedEnd(result) + "…"
    }

    /// `text` when it has at most `limit` characters, otherwise its first `limit - 1` and "…".
    static func truncated(_ text: String, toCharacters limit: Int) -> String {
        guard text.count > limit else { return text }
        return trimmedEnd(String(text.prefix(limit - 1))) + "…"
    }

    private static func trimmedEnd(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
