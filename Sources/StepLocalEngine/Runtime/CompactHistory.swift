import StepLocalASL
import StepLocalJSON

/// A closed execution's history packed into one byte buffer. A server keeps up to
/// `--max-executions` closed executions (100,000 by default) only to answer DescribeExecution and
/// GetExecutionHistory; as `HistoryEvent`s each event costs several allocations (its details
/// object, every string over 15 bytes), about 14 KB per 10-state execution, where the packed
/// form is one allocation of roughly the history's JSON size. Unpacked again on demand (a
/// GetExecutionHistory, a redrive). Event ids, links, timestamps, types and details round-trip
/// exactly (details as their JSON text, which the parser reads back member for member).
///
/// Only histories of up to ``maximumEvents`` are packed: every read unpacks the whole history, so
/// paging 100 events at a time through a 25,000-event history would unpack it 250 times, and such
/// executions are few next to the many short ones a test suite leaves behind.
struct CompactHistory: Sendable {
    static let maximumEvents = 1_000
    private let bytes: [UInt8]
    let count: Int

    init(_ events: [HistoryEvent]) {
        var bytes: [UInt8] = []
        for event in events {
            Self.append(UInt64(event.id), to: &bytes)
            Self.append(UInt64(event.previousEventId), to: &bytes)
            Self.append(UInt64(bitPattern: event.timestamp.millisecondsSince1970), to: &bytes)
            Self.append(event.type, to: &bytes)
            Self.append(event.detailsKey ?? "", to: &bytes)
            Self.append(event.detailsKey == nil ? "" : JSONValue.object(event.details).serialized(), to: &bytes)
        }
        self.bytes = bytes
        count = events.count
    }

    func events() -> [HistoryEvent] { events(from: 0) }

    /// The events after the first `start`, which are skipped without being decoded (what the
    /// `--data-dir` store has not written yet, when an execution ends).
    func events(from start: Int) -> [HistoryEvent] {
        var events: [HistoryEvent] = []
        events.reserveCapacity(max(0, count - start))
        var offset = 0
        for _ in 0..<min(start, count) {
            for _ in 0..<3 { _ = readNumber(&offset) }
            for _ in 0..<3 { offset += Int(readNumber(&offset)) }
        }
        for _ in min(start, count)..<count {
            let id = Int(readNumber(&offset))
            let previous = Int(readNumber(&offset))
            let millis = Int64(bitPattern: readNumber(&offset))
            let type = readString(&offset)
            let key = readString(&offset)
            let detailsText = readString(&offset)
            var details: JSONObject = [:]
            if !key.isEmpty, case .object(let object)? = try? JSONValue(parsing: detailsText) { details = object }
            events.append(
                HistoryEvent(
                    id: id, previousEventId: previous, timestamp: Timestamp(millisecondsSince1970: millis), type: type,
                    detailsKey: key.isEmpty ? nil : key, details: details))
        }
        return events
    }

    /// LEB128: seven bits a byte, low bits first.
    private static func append(_ number: UInt64, to bytes: inout [UInt8]) {
        var rest = number
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        append(UInt64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private func readNumber(_ offset: inout Int) -> UInt64 {
        var number: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            number |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return number }
            shift += 7
        }
    }

    private func readString(_ offset: inout Int) -> String {
        let length = Int(readNumber(&offset))
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }
}
