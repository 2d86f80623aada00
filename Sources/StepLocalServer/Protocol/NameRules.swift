/// AWS's rules for state machine, execution and activity names: 1–80 characters, none of
/// whitespace, `< > { } [ ]`, `? *`, `" # % \ ^ | ~ `` $ & , ; : /`, or control characters
/// (U+0000–001F, U+007F–009F). See "Naming" in CreateStateMachine's API reference.
///
/// Every StartExecution checks a name, so this is one pass over the scalars: the forbidden
/// characters are all ASCII, and Unicode's whitespace table is consulted only beyond ASCII.
enum NameRules {
    static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf16.count <= 80 else { return false }
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x00...0x20, 0x7F...0x9F: return false  // control characters and the space
            case 0x21...0x7E: if isForbiddenASCII(UInt8(scalar.value)) { return false }
            default: if scalar.properties.isWhitespace { return false }
            }
        }
        return true
    }

    private static func isForbiddenASCII(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "\\"),
            UInt8(ascii: "^"), UInt8(ascii: "|"), UInt8(ascii: "~"), UInt8(ascii: "`"), UInt8(ascii: "$"), UInt8(ascii: "&"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    static func validate(_ name: String) throws(AWSServiceError) {
        guard isValid(name) else { throw .invalidName(name) }
    }
}
