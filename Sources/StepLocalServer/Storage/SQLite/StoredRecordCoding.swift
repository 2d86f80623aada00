import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// How the `--data-dir` store writes each kind of record: as JSON text in one column, so a new
/// member needs no schema migration (a missing member reads as its default). Definitions are
/// kept as the text users sent and loaded again on start-up.
enum StoredRecordCoding {
    static func millis(_ timestamp: Timestamp) -> JSONValue { .number(.int(timestamp.millisecondsSince1970)) }

    static func timestamp(_ value: JSONValue?) -> Timestamp? {
        guard let millis = value?.numberValue?.intValue else { return nil }
        return Timestamp(millisecondsSince1970: Int64(millis))
    }

    static func optionalString(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

    // MARK: Revisions (kept once per revision id, shared by the machine, its versions and executions)

    static func encode(_ revision: StateMachineRevision) -> JSONValue {
        [
            "definition": .string(revision.definitionText), "roleArn": .string(revision.roleArn),
            "logging": revision.loggingConfiguration, "tracing": revision.tracingConfiguration,
            "encryption": revision.encryptionConfiguration, "revisionId": .string(revision.revisionId),
            "updateDate": millis(revision.updateDate),
        ]
    }

    static func decodeRevision(_ json: JSONValue, type: StateMachineType) throws -> StateMachineRevision {
        guard let text = json["definition"]?.stringValue, let revisionId = json["revisionId"]?.stringValue,
            let updateDate = timestamp(json["updateDate"])
        else { throw StoreCorruption("a revision lacks its definition, id or date") }
        let definition: StateMachineDefinition
        do {
            definition = try StateMachineDefinition.load(text, type: type)
        } catch {
            throw StoreCorruption("the stored definition of revision \(revisionId) no longer loads: \(error)")
        }
        return StateMachineRevision(
            definitionText: text, definition: definition, roleArn: json["roleArn"]?.stringValue ?? "",
            loggingConfiguration: json["logging"] ?? StateMachineRevision.defaultLogging,
            tracingConfiguration: json["tracing"] ?? StateMachineRevision.defaultTracing,
            encryptionConfiguration: json["encryption"] ?? StateMachineRevision.defaultEncryption, revisionId: revisionId,
            updateDate: updateDate)
    }

    // MARK: State machines (with versions and aliases, which refer to revisions by id)

    static func encode(_ record: StateMachineRecord) -> JSONValue {
        var json: JSONObject = [
            "arn": .string(record.arn), "name": .string(record.name), "type": .string(record.type.rawValue),
            "revisionId": .string(record.revision.revisionId), "creationDate": millis(record.creationDate),
            "sequence": .int(record.sequence), "nextVersionNumber": .int(record.nextVersionNumber),
            "versions": .array(record.versions.values.sorted { $0.number < $1.number }.map { version in
                [
                    "arn": .string(version.arn), "number": .int(version.number), "revisionId": .string(version.revision.revisionId),
                    "description": optionalString(version.description), "creationDate": millis(version.creationDate),
                ]
            }),
            "aliases": .array(record.aliases.values.sorted { $0.name < $1.name }.map { alias in
                [
                    "arn": .string(alias.arn), "name": .string(alias.name), "description": optionalString(alias.description),
                    "routing": alias.routingJSON, "creationDate": millis(alias.creationDate), "updateDate": millis(alias.updateDate),
                ]
            }),
        ]
        if record.isDeleting { json["deleting"] = true }
        return .object(json)
    }

    static func decodeStateMachine(_ json: JSONValue, revision: (String) throws -> StateMachineRevision) throws -> StateMachineRecord {
        guard let arn = json["arn"]?.stringValue, let name = json["name"]?.stringValue,
            let type = json["type"]?.stringValue.flatMap(StateMachineType.init(rawValue:)),
            let revisionId = json["revisionId"]?.stringValue, let creationDate = timestamp(json["creationDate"]),
            let sequence = json["sequence"]?.numberValue?.intValue
        else { throw StoreCorruption("a state machine record lacks a member") }
        var record = StateMachineRecord(
            arn: arn, name: name, type: type, revision: try revision(revisionId), creationDate: creationDate, sequence: sequence)
        record.nextVersionNumber = json["nextVersionNumber"]?.numberValue?.intValue ?? 1
        record.isDeleting = json["deleting"] == true
        for version in json["versions"]?.arrayValue ?? [] {
            guard let versionArn = version["arn"]?.stringValue, let number = version["number"]?.numberValue?.intValue,
                let versionRevision = version["revisionId"]?.stringValue, let date = timestamp(version["creationDate"])
            else { throw StoreCorruption("a version of \(arn) lacks a member") }
            record.versions[number] = StateMachineVersionRecord(
                arn: versionArn, number: number, revision: try revision(versionRevision), description: version["description"]?.stringValue,
                creationDate: date)
        }
        for alias in json["aliases"]?.arrayValue ?? [] {
            guard let aliasArn = alias["arn"]?.stringValue, let aliasName = alias["name"]?.stringValue,
                let created = timestamp(alias["creationDate"]), let updated = timestamp(alias["updateDate"])
            else { throw StoreCorruption("an alias of \(arn) lacks a member") }
            let routing = (alias["routing"]?.arrayValue ?? []).compactMap { entry -> StateMachineAliasRecord.RoutingEntry? in
                guard let version = entry["stateMachineVersionArn"]?.stringValue, let weight = entry["weight"]?.numberValue?.intValue else {
                    return nil
                }
                return .init(versionArn: version, weight: weight)
            }
            record.aliases[aliasName] = StateMachineAliasRecord(
                arn: aliasArn, name: aliasName, description: alias["description"]?.stringValue, routing: routing, creationDate: created,
                updateDate: updated)
        }
        return record
    }

    /// Every revision a state machine record refers to.
    static func revisions(of record: StateMachineRecord) -> [StateMachineRevision] {
        [record.revision] + record.versions.values.map(\.revision)
    }

    // MARK: Activities and tags

    static func encode(_ record: ActivityRecord) -> JSONValue {
        [
            "arn": .string(record.arn), "name": .string(record.name), "creationDate": millis(record.creationDate),
            "encryption": record.encryptionConfiguration, "sequence": .int(record.sequence),
        ]
    }

    static func decodeActivity(_ json: JSONValue) throws -> ActivityRecord {
        guard let arn = json["arn"]?.stringValue, let name = json["name"]?.stringValue, let date = timestamp(json["creationDate"]),
            let sequence = json["sequence"]?.numberValue?.intValue
        else { throw StoreCorruption("an activity record lacks a member") }
        return ActivityRecord(
            arn: arn, name: name, creationDate: date, encryptionConfiguration: json["encryption"] ?? StateMachineRevision.defaultEncryption,
            sequence: sequence)
    }

    static func encode(_ tags: [ResourceTag]) -> JSONValue {
        .array(tags.map { ["key": .string($0.key), "value": .string($0.value)] })
    }

    static func decodeTags(_ json: JSONValue) -> [ResourceTag] {
        (json.arrayValue ?? []).compactMap { tag in
            guard let key = tag["key"]?.stringValue, let value = tag["value"]?.stringValue else { return nil }
            return (key: key, value: value)
        }
    }

    // MARK: Executions (what does not change once started; the outcome has columns of its own)

    static func encode(_ record: ExecutionRecord) -> JSONValue {
        let identity = record.execution.identity
        return [
            "arn": .string(record.arn), "name": .string(record.name), "stateMachineArn": .string(record.stateMachineArn),
            "stateMachineName": .string(record.stateMachineName), "versionArn": optionalString(record.stateMachineVersionArn),
            "aliasArn": optionalString(record.stateMachineAliasArn), "type": .string(record.type.rawValue),
            "input": .string(record.inputText), "traceHeader": optionalString(record.traceHeader),
            "revisionId": .string(record.revision.revisionId), "startDate": millis(record.startDate), "sequence": .int(record.sequence),
            "mapRunArn": optionalString(record.mapRunArn), "mockTestCase": optionalString(record.mockTestCase),
            "runStateMachineArn": .string(identity.stateMachineArn),
            "roleArn": .string(identity.roleArn),
            "redriveTokens": .array(record.redriveTokens.map { ["token": .string($0.token), "date": millis($0.date)] }),
        ]
    }
}

extension StoredRecordCoding {
    /// A thread's position, as members of the object it is written in (a checkpoint, a running thread).
    static func members(of position: ThreadPosition) -> JSONObject {
        [
            "stateName": .string(position.stateName), "input": .string(position.input.serialized()),
            "variables": .object(JSONObject(uniqueKeysWithValues: position.variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
            "lastEventId": .int(position.lastEventId), "threadEvents": .int(position.threadEvents), "enteredTime": millis(position.enteredTime),
        ]
    }

    /// `fallbackThreadEvents`: for a checkpoint written before thread positions were kept.
    static func decodePosition(_ json: JSONValue, fallbackThreadEvents: Int? = nil) throws -> ThreadPosition {
        guard let stateName = json["stateName"]?.stringValue, let inputText = json["input"]?.stringValue,
            let lastEventId = json["lastEventId"]?.numberValue?.intValue, let enteredTime = timestamp(json["enteredTime"]),
            let threadEvents = json["threadEvents"]?.numberValue?.intValue ?? fallbackThreadEvents
        else { throw StoreCorruption("a thread's position lacks a member") }
        var variables: [String: JSONValue] = [:]
        for (name, value) in json["variables"]?.objectValue ?? [:] { variables[name] = value }
        return ThreadPosition(
            stateName: stateName, input: try JSONValue(parsing: inputText), variables: variables, lastEventId: lastEventId,
            threadEvents: threadEvents, enteredTime: enteredTime)
    }

    static func encode(_ checkpoint: ExecutionCheckpoint) -> JSONValue {
        var object = members(of: checkpoint.position)
        object["eventCount"] = .int(checkpoint.eventCount)
        object["runStartTime"] = checkpoint.runStartTime.map(millis) ?? .null
        object["threads"] = checkpoint.threads.map(encode) ?? .null
        object["retry"] = checkpoint.retry.map(encode) ?? .null
        return .object(object)
    }

    static func decodeCheckpoint(_ json: JSONValue) throws -> ExecutionCheckpoint {
        guard let eventCount = json["eventCount"]?.numberValue?.intValue else { throw StoreCorruption("a checkpoint lacks a member") }
        return ExecutionCheckpoint(
            // A file written before thread positions were kept: past every position its run had reached.
            position: try decodePosition(json, fallbackThreadEvents: eventCount), eventCount: eventCount,
            runStartTime: timestamp(json["runStartTime"]),
            threads: try json["threads"].flatMap { $0 == .null ? nil : try decodeKeptThreads($0) },
            retry: try json["retry"].flatMap { $0 == .null ? nil : try decodeRetryProgress($0) })
    }

    static func encode(_ retry: RetryProgress) -> JSONValue {
        [
            "attempt": .int(retry.attempt), "attemptsByRetrier": .array(retry.attemptsByRetrier.map { .int($0) }),
            "lastDelaySeconds": .array(retry.lastDelaySeconds.map { .double($0) }), "retryAt": millis(retry.retryAt),
            "eventCount": .int(retry.eventCount), "lastEventId": .int(retry.lastEventId), "threadEvents": .int(retry.threadEvents),
            "enteredEventId": .int(retry.enteredEventId), "enteredAfterEventId": .int(retry.enteredAfterEventId),
        ]
    }

    static func decodeRetryProgress(_ json: JSONValue) throws -> RetryProgress {
        func int(_ key: String) throws -> Int {
            guard let value = json[key]?.numberValue?.intValue else { throw StoreCorruption("a checkpoint's retry lacks '\(key)'") }
            return value
        }
        guard let attempts = json["attemptsByRetrier"]?.arrayValue, let delays = json["lastDelaySeconds"]?.arrayValue,
            let retryAt = timestamp(json["retryAt"])
        else { throw StoreCorruption("a checkpoint's retry lacks a member") }
        return RetryProgress(
            attempt: try int("attempt"), attemptsByRetrier: attempts.compactMap { $0.numberValue?.intValue },
            lastDelaySeconds: delays.compactMap { $0.numberValue?.doubleValue }, retryAt: retryAt, eventCount: try int("eventCount"),
            lastEventId: try int("lastEventId"), threadEvents: try int("threadEvents"), enteredEventId: try int("enteredEventId"),
            enteredAfterEventId: try int("enteredAfterEventId"))
    }

    static func encode(_ kept: KeptThreads) -> JSONValue {
        [
            "startedEventId": .int(kept.startedEventId),
            "threads": .array(
                kept.threads.sorted { $0.key < $1.key }.map { index, thread in
                    ["index": .int(index), "output": .string(thread.output.serialized()), "eventIds": .array(thread.eventIds.map { .int($0) })]
                }),
            "running": .array(
                kept.running.sorted { $0.key < $1.key }.map { index, thread in
                    var object = members(of: thread.position)
                    object["index"] = .int(index)
                    object["eventIds"] = .array(thread.eventIds.map { .int($0) })
                    if let nested = thread.nested { object["nested"] = encode(nested) }
                    if let retry = thread.retry { object["retry"] = encode(retry) }
                    return .object(object)
                }),
        ]
    }

    static func decodeKeptThreads(_ json: JSONValue) throws -> KeptThreads {
        guard let startedEventId = json["startedEventId"]?.numberValue?.intValue, let threads = json["threads"]?.arrayValue
        else { throw StoreCorruption("a checkpoint's threads lack a member") }
        var finished: [Int: FinishedThread] = [:]
        for thread in threads {
            guard let index = thread["index"]?.numberValue?.intValue, let outputText = thread["output"]?.stringValue,
                let ids = thread["eventIds"]?.arrayValue
            else { throw StoreCorruption("a finished thread lacks a member") }
            finished[index] = FinishedThread(output: try JSONValue(parsing: outputText), eventIds: ids.compactMap { $0.numberValue?.intValue })
        }
        var running: [Int: RunningThread] = [:]
        for thread in json["running"]?.arrayValue ?? [] {
            guard let index = thread["index"]?.numberValue?.intValue, let ids = thread["eventIds"]?.arrayValue
            else { throw StoreCorruption("a running thread lacks a member") }
            running[index] = RunningThread(
                position: try decodePosition(thread), eventIds: ids.compactMap { $0.numberValue?.intValue },
                nested: try thread["nested"].map(decodeKeptThreads), retry: try thread["retry"].map(decodeRetryProgress))
        }
        return KeptThreads(startedEventId: startedEventId, threads: finished, running: running)
    }
}

/// Map Runs, written as they go with the execution that started them: the run (one row) and each
/// child execution (one row each: its identity while it runs, with its history once it has
/// ended; children are not API records of their own).
extension StoredRecordCoding {
    static func encode(_ event: HistoryEvent) -> JSONValue {
        [
            "id": .int(event.id), "previousEventId": .int(event.previousEventId), "timestamp": millis(event.timestamp),
            "type": .string(event.type), "detailsKey": optionalString(event.detailsKey), "details": .object(event.details),
        ]
    }

    static func decodeEvent(_ json: JSONValue) throws -> HistoryEvent {
        guard let id = json["id"]?.numberValue?.intValue, let previous = json["previousEventId"]?.numberValue?.intValue,
            let timestamp = timestamp(json["timestamp"]), let type = json["type"]?.stringValue
        else { throw StoreCorruption("a history event lacks a member") }
        return HistoryEvent(
            id: id, previousEventId: previous, timestamp: timestamp, type: type, detailsKey: json["detailsKey"]?.stringValue,
            details: json["details"]?.objectValue ?? [:])
    }

    /// A running child's row, written each time the child changed (at most every
    /// ``SQLiteResourceStore/progressDelay``): with its checkpoint once it has one (it has entered
    /// its first state) and how many history events it has, which the store appends apart as they
    /// come (`map_run_child_events`; rewriting them whole in the row cost a long history's length at
    /// every change). A restart continues it there; without a checkpoint it starts again from its
    /// beginning.
    static func encode(running child: Execution, progress: ExecutionProgress) -> JSONValue {
        let identity = child.identity
        let resumable = progress.checkpoint != nil
        return [
            "arn": .string(identity.executionArn), "name": .string(identity.name), "stateMachineArn": .string(identity.stateMachineArn),
            "stateMachineName": .string(identity.stateMachineName), "roleArn": .string(identity.roleArn),
            "startDate": millis(identity.startTime), "redriveCount": .int(identity.redriveCount),
            "input": .string(child.input.serialized()), "status": .string(ExecutionStatus.running.rawValue),
            "eventCount": resumable ? .int(progress.eventCount) : .null,
            "checkpoint": resumable ? progress.checkpoint.map(encode) ?? .null : .null,
            "tokenSecret": .int(Int(Int64(bitPattern: child.tokenSecret))),
        ]
    }

    /// A child that has ended (or whose end is decided, not yet visible), with its whole history in its row.
    static func encode(_ child: Execution) -> JSONValue {
        let snapshot = child.snapshotIncludingDecidedEnd()
        let identity = snapshot.identity
        return [
            "arn": .string(identity.executionArn), "name": .string(identity.name), "stateMachineArn": .string(identity.stateMachineArn),
            "stateMachineName": .string(identity.stateMachineName), "roleArn": .string(identity.roleArn),
            "startDate": millis(identity.startTime), "redriveCount": .int(identity.redriveCount), "input": .string(snapshot.input.serialized()),
            "status": .string(snapshot.status.rawValue), "output": snapshot.output.map { .string($0.serialized()) } ?? .null,
            "error": optionalString(snapshot.error), "cause": optionalString(snapshot.cause),
            "stopDate": snapshot.stopDate.map(millis) ?? .null, "redriveDate": snapshot.redriveDate.map(millis) ?? .null,
            "history": .array(snapshot.history.map(encode)),
        ]
    }

    /// A child as its row holds it; one that was running with a checkpoint comes with its history
    /// as its row counts it and where it continues (the Distributed Map resumes it there).
    /// `storedEvents`: the history events stored apart for running children, by child ARN; a row
    /// names how many of its child's are its own (any later ones were written after the row, by a
    /// run a restart stopped, and are written again as the child records them). A row written before events were stored
    /// apart holds its history itself.
    static func decodeChild(
        _ json: JSONValue, storedEvents: [String: [HistoryEvent]] = [:], clock: any ExecutionClock
    ) throws -> (child: Execution, resumePoint: ChildResumePoint?) {
        guard let arn = json["arn"]?.stringValue, let name = json["name"]?.stringValue,
            let machineArn = json["stateMachineArn"]?.stringValue, let machineName = json["stateMachineName"]?.stringValue,
            let start = timestamp(json["startDate"]), let inputText = json["input"]?.stringValue,
            let status = json["status"]?.stringValue.flatMap(ExecutionStatus.init(rawValue:))
        else { throw StoreCorruption("a Map Run child lacks a member") }
        let identity = ExecutionIdentity(
            executionArn: arn, name: name, stateMachineArn: machineArn, stateMachineName: machineName,
            roleArn: json["roleArn"]?.stringValue ?? "", startTime: start, redriveCount: json["redriveCount"]?.numberValue?.intValue ?? 0)
        var history = try (json["history"]?.arrayValue ?? []).map(decodeEvent)
        var checkpointJSON = json["checkpoint"]
        if status == .running, let count = json["eventCount"]?.numberValue?.intValue {
            history = Array((storedEvents[arn] ?? []).prefix { $0.id <= count })
            // Events missing from the file (a write cut short): the child starts again from its beginning.
            if history.count != count || history.last?.id != count {
                history = []
                checkpointJSON = nil
            }
        }
        var resumePoint: ChildResumePoint? = nil
        if status == .running, let checkpointJSON, checkpointJSON != .null {
            let checkpoint = try decodeCheckpoint(checkpointJSON)
            // The events after the checkpoint stay: the resumed child finds them again as it records them.
            let kept = min(checkpoint.eventsKept, history.count)
            resumePoint = ChildResumePoint(checkpoint: checkpoint, eventsAfterCheckpoint: Array(history[kept...]))
        }
        let snapshot = ExecutionSnapshot(
            identity: identity, input: try JSONValue(parsing: inputText), status: status,
            output: try json["output"]?.stringValue.map { try JSONValue(parsing: $0) }, error: json["error"]?.stringValue,
            cause: json["cause"]?.stringValue, stopDate: timestamp(json["stopDate"]), redriveDate: timestamp(json["redriveDate"]),
            history: history)
        // A running child goes on with its secret, so its tasks hand out the tokens they handed out before.
        let secret = json["tokenSecret"]?.numberValue?.intValue.map { UInt64(bitPattern: Int64($0)) } ?? UInt64.random(in: .min ... .max)
        return (Execution.restored(snapshot, tokenSecret: secret, clock: clock, observer: nil), resumePoint)
    }

    /// A worker's answer to a task token: `{"output": TEXT}`, or `{"error": ..., "cause": ...}`,
    /// with `workerName` when a worker had taken the token's activity task.
    static func encode(_ answer: Result<JSONValue, StatesError>, workerName: String?) -> JSONValue {
        var object: JSONObject
        switch answer {
        case .success(let output): object = ["output": .string(output.serialized())]
        case .failure(let error): object = ["error": .string(error.error), "cause": optionalString(error.cause)]
        }
        if let workerName { object["workerName"] = .string(workerName) }
        return .object(object)
    }

    static func decodeAnswer(_ json: JSONValue) throws -> Result<JSONValue, StatesError> {
        if let output = json["output"]?.stringValue { return .success(try JSONValue(parsing: output)) }
        guard let error = json["error"]?.stringValue else { throw StoreCorruption("a task answer lacks a member") }
        return .failure(StatesError(error, cause: json["cause"]?.stringValue))
    }

    static func encode(_ run: MapRun) -> JSONValue {
        // The counts are not kept: they are the children's statuses, read back from their rows.
        let snapshot = run.snapshotWithoutCounts()
        return [
            "arn": .string(run.arn), "executionArn": .string(run.executionArn), "stateMachineArn": .string(run.stateMachineArn),
            "startDate": millis(run.startDate), "total": .int(run.total), "status": .string(snapshot.status.rawValue),
            "stopDate": snapshot.stopDate.map(millis) ?? .null, "maxConcurrency": .int(snapshot.settings.maxConcurrency),
            "toleratedFailurePercentage": snapshot.settings.toleratedFailurePercentage.map { .double($0) } ?? .null,
            "toleratedFailureCount": snapshot.settings.toleratedFailureCount.map { .int($0) } ?? .null,
            "redriveCount": .int(snapshot.redriveCount), "redriveDate": snapshot.redriveDate.map(millis) ?? .null,
            "itemsPerChild": run.itemsPerChild.map { .array($0.map { .int($0) }) } ?? .null,
        ]
    }

    /// `children` are the run's child rows in order; a run written before they had rows of their
    /// own (before 2026-12-06) holds them in its record.
    static func decodeMapRun(
        _ json: JSONValue, children childRecords: [JSONValue], childEvents: [String: [HistoryEvent]] = [:], clock: any ExecutionClock
    ) throws -> MapRun {
        guard let arn = json["arn"]?.stringValue, let executionArn = json["executionArn"]?.stringValue,
            let machineArn = json["stateMachineArn"]?.stringValue, let start = timestamp(json["startDate"]),
            let total = json["total"]?.numberValue?.intValue,
            let status = json["status"]?.stringValue.flatMap(MapRun.Status.init(rawValue:)),
            let maxConcurrency = json["maxConcurrency"]?.numberValue?.intValue
        else { throw StoreCorruption("a Map Run lacks a member") }
        let settings = MapRun.Settings(
            maxConcurrency: maxConcurrency, toleratedFailurePercentage: json["toleratedFailurePercentage"]?.numberValue?.doubleValue,
            toleratedFailureCount: json["toleratedFailureCount"]?.numberValue?.intValue)
        let decoded = try (json["children"]?.arrayValue ?? childRecords).map { try decodeChild($0, storedEvents: childEvents, clock: clock) }
        var resumePoints: [Int: ChildResumePoint] = [:]
        for (index, child) in decoded.enumerated() where child.resumePoint != nil { resumePoints[index] = child.resumePoint }
        return MapRun.restored(
            arn: arn, executionArn: executionArn, stateMachineArn: machineArn, startDate: start, total: total,
            itemsPerChild: json["itemsPerChild"]?.arrayValue?.compactMap { $0.numberValue?.intValue },
            snapshot: MapRun.Snapshot(
                status: status, stopDate: timestamp(json["stopDate"]), settings: settings,
                redriveCount: json["redriveCount"]?.numberValue?.intValue ?? 0, redriveDate: timestamp(json["redriveDate"])),
            children: decoded.map(\.child), resumePoints: resumePoints)
    }
}

/// The data directory holds something this version cannot read back: start-up stops with this
/// message rather than serve a partial or wrong state.
struct StoreCorruption: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
