import Foundation
import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath
import StepLocalJSONata

/// Coverage-guided fuzzing (libFuzzer) of everything that reads text a user controls: the JSON
/// parser, JSONata (parse and evaluate), JSONPath (parse, evaluate, write) and definition loading.
/// Seeded mutation tests sample; libFuzzer searches, steering its inputs towards new code paths,
/// which is how stack overflows and hangs hidden behind rare syntax are found. A crash, a Swift
/// trap, a hang past `-timeout` or memory past `-rss_limit_mb` fails the run.
///
/// Built only by `scripts/fuzz.sh` (with `-sanitize=fuzzer`), which picks the target through
/// `STEPLOCAL_FUZZ_TARGET`: `json`, `jsonata`, `jsonpath` or `definition`.
enum FuzzTarget: String {
    case json, jsonata, jsonpath, definition

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["STEPLOCAL_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("STEPLOCAL_FUZZ_TARGET must be one of json, jsonata, jsonpath, definition (got '\(name)')")
        }
        return target
    }()

    /// Evaluations stop early: the fuzzer wants many inputs a second, and a slow one is reported
    /// by libFuzzer's own `-timeout` only if our bound failed.
    static let limits = JSONataLimits(maximumMilliseconds: 50)

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .json: Self.json(bytes)
        case .jsonata: Self.jsonata(bytes)
        case .jsonpath: Self.jsonPath(bytes)
        case .definition: Self.definition(bytes)
        }
    }

    /// Whatever parses must print back to text that parses to the same value.
    static func json(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = try? JSONParser.parse(bytes: bytes) else { return }
        let text = value.serialized()
        guard let again = try? JSONParser.parse(text), again == value else {
            fatalError("JSON round trip changed the value: \(text)")
        }
    }

    /// The first line is the expression, the rest (if JSON) its input.
    static func jsonata(_ bytes: UnsafeBufferPointer<UInt8>) {
        let (head, input) = splitFirstLine(bytes)
        guard let expression = try? JSONataExpression(head) else { return }
        if let result = try? expression.evaluate(input: input, limits: limits) {
            _ = result.serialized()
        }
    }

    /// The first line is the path, the rest (if JSON) the document it reads and writes.
    static func jsonPath(_ bytes: UnsafeBufferPointer<UInt8>) {
        let (head, document) = splitFirstLine(bytes)
        guard let path = try? JSONPath(head) else { return }
        let root = document ?? .object([:])
        if let selected = try? path.evaluate(in: root) { _ = selected.serialized() }
        if let written = try? path.assigning(.string("x"), into: root) { _ = written.serialized() }
    }

    /// A definition is loaded (validated and compiled) or refused with diagnostics, never more.
    static func definition(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = try? StateMachineDefinition.load(String(decoding: bytes, as: UTF8.self))
    }

    static func splitFirstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, JSONValue?) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let head = String(decoding: bytes[..<newline], as: UTF8.self)
        let rest = newline < bytes.endIndex ? UnsafeBufferPointer(rebasing: bytes[(newline + 1)...]) : UnsafeBufferPointer(start: nil, count: 0)
        return (head, try? JSONParser.parse(bytes: rest))
    }
}

/// libFuzzer's entry for one input (the symbol its runtime expects, and what the replay calls).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.current.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if STEPLOCAL_LIBFUZZER
/// libFuzzer's driver, linked in by `-sanitize=fuzzer`. SwiftPM names our `@main` the program's
/// entry, so libFuzzer's own `main` stays out and this hands it the command line.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
/// Without libFuzzer (an ordinary `swift build`), the harness replays inputs: every file named on
/// the command line, or every file in the folders named, runs once through the chosen target. This
/// reproduces a crash libFuzzer saved, and keeps the harness compiling in every build.
@main
enum FuzzReplay {
    static func main() throws {
        var files: [URL] = []
        for argument in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: argument)
            if let children = try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil) {
                files.append(contentsOf: children.sorted { $0.path < $1.path })
            } else {
                files.append(url)
            }
        }
        for file in files {
            let data = try Data(contentsOf: file)
            data.withUnsafeBytes { raw in
                _ = fuzzOneInput(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
            }
        }
        print("\(FuzzTarget.current.rawValue): replayed \(files.count) inputs")
    }
}
#endif
