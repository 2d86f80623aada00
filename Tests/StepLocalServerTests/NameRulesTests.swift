import Testing

@testable import StepLocalServer

/// AWS's naming rules ("Naming" in CreateStateMachine's API reference), character by character.
@Suite("Name rules")
struct NameRulesTests {
    static let forbidden: [Character] = Array(##"<>{}[]?*"#%\^|~`$&,;:/"##)

    @Test("Every one of AWS's forbidden punctuation characters makes a name invalid, wherever it is", arguments: forbidden)
    func forbiddenPunctuation(character: Character) {
        let inside = "a" + String(character) + "b"
        let alone = String(character)
        #expect(!NameRules.isValid(inside))
        #expect(!NameRules.isValid(alone))
    }

    @Test("Control characters (U+0000–001F, U+007F–009F) and Unicode whitespace are invalid; other Unicode is fine",
          arguments: [0x00, 0x09, 0x1F, 0x7F, 0x85, 0x9F, 0xA0, 0x2003, 0x3000] as [UInt32])
    func controlAndWhitespace(scalar: UInt32) throws {
        let name = "a" + String(Character(try #require(Unicode.Scalar(scalar)))) + "b"
        #expect(!NameRules.isValid(name))
    }

    @Test("Letters beyond ASCII and the punctuation AWS does not list are allowed")
    func allowed() {
        #expect(NameRules.isValid("Bestellung-größe_ü.1"))
        #expect(NameRules.isValid("注文-処理"))
        #expect(NameRules.isValid("!'()+=@"))
    }

    @Test("A forbidden character hidden under a combining mark is still found")
    func combiningMark() {
        let name = "a" + String(Character("\u{22}\u{301}")) + "b"
        #expect(!NameRules.isValid(name))
    }

    @Test("Length is 1 to 80, counted in UTF-16 code units")
    func length() {
        let eighty = String(repeating: "x", count: 80)
        let eightyOne = String(repeating: "x", count: 81)
        let emoji = String(repeating: "😀", count: 41)  // 82 UTF-16 units
        #expect(!NameRules.isValid(""))
        #expect(NameRules.isValid(eighty))
        #expect(!NameRules.isValid(eightyOne))
        #expect(!NameRules.isValid(emoji))
    }
}
