import Foundation
import GRDB
import Logging
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Synchronization

/// `steplocal serve --data-dir DIR`: the resources of ``InMemoryResourceStore``, also written to
/// one SQLite file (`DIR/steplocal.sqlite`, WAL) so they survive a restart, `kill -9` included.
///
/// Reads never touch the file: the tables stay in memory, as without a data directory. Every
/// transaction writes the records it changed before it returns, so an API call answers only
/// after its effect is on disk. What the engine does between API calls (history events, an
/// execution finishing) reaches the file through ``ExecutionObserver`` within
/// ``progressDelay``, and at once on a graceful shutdown.
///
/// Durability is against the process dying (`kill -9`, a crash): committed transactions are in
/// the WAL file. `synchronous=NORMAL` does not fsync each commit, so a power loss or kernel crash
/// can lose the last ones.
final class SQLiteResourceStore: ResourceStore, ExecutionObserver, TaskAnswerLog {
    /// How long engine progress may wait before it is written, so bursts of events share one commit.
    static let progressDelay: Duration = .milliseconds(20)

    static let fileName = "steplocal.sqlite"

    private let memory: InMemoryResourceStore
    private let database: DatabasePool
    private let pending = Mutex(PendingProgress())
    /// Set by ``stopWriting()``: the engine's progress is no longer written.
    private let stopped = Atomic<Bool>(false)
    /// Touched only inside `database.write`, which runs one writer at a time.
    private let written = Mutex(WrittenState())
    private let logger: Logger

    private struct PendingProgress {
        var dirty: [String: Execution] = [:]
        var flushScheduled = false
    }

    private struct WrittenState {
        /// How far the file holds each stored execution's history (see ``HistoryReadMark``); an
        /// execution without an entry has no row (an EXPRESS one, or one not inserted yet).
        var readMarks: [String: HistoryReadMark] = [:]
        var revisionIds: Set<String> = []
        /// What is in the file of each Map Run of a running execution: its record's text, and per
        /// child whether its row is there and whether it was written as ended.
        var mapRuns: [String: WrittenMapRun] = [:]
        /// Executions with task answers or heartbeats in the file: their rows go when they end.
        var answerOwners: Set<String> = []
    }

    private struct WrittenMapRun {
        var record = ""
        var children: [ChildRow] = []
        /// Every child before this one is written ended.
        var firstOpen = 0
        /// How far `map_run_child_events` holds each running child's history.
        var childEvents: [HistoryReadMark] = []
    }

    private enum ChildRow: Equatable {
        case missing, ended
        /// Written running, after this many of its changes (``Execution/observedChangeCount``).
        case running(changes: Int)
    }

    /// Opens (creating it if needed) the store in `directory`. Call ``load(clock:)`` next.
    init(directory: String, maxExecutions: Int, forgotten: @escaping @Sendable ([String]) -> Void, logger: Logger) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try DataDirectoryLock.acquire(in: directory)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.busyMode = .timeout(5)
        database = try DatabasePool(path: (directory as NSString).appendingPathComponent(Self.fileName), configuration: configuration)
        memory = InMemoryResourceStore(maxExecutions: maxExecutions, forgotten: forgotten)
        self.logger = logger
        try Self.migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE revisions (id TEXT PRIMARY KEY, record TEXT NOT NULL);
                    CREATE TABLE state_machines (arn TEXT PRIMARY KEY, record TEXT NOT NULL);
                    CREATE TABLE activities (arn TEXT PRIMARY KEY, record TEXT NOT NULL);
                    CREATE TABLE tags (arn TEXT PRIMARY KEY, tags TEXT NOT NULL);
                    CREATE TABLE executions (
                        arn TEXT PRIMARY KEY, sequence INTEGER NOT NULL, record TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'RUNNING', output TEXT, error TEXT, cause TEXT, stop_date INTEGER,
                        redrive_count INTEGER NOT NULL DEFAULT 0, redrive_date INTEGER, checkpoint TEXT, token_secret INTEGER NOT NULL);
                    CREATE TABLE history_events (
                        execution_arn TEXT NOT NULL, id INTEGER NOT NULL, previous_id INTEGER NOT NULL, timestamp INTEGER NOT NULL,
                        type TEXT NOT NULL, details_key TEXT, details TEXT, PRIMARY KEY (execution_arn, id)) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2: map runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE map_runs (
                        parent_arn TEXT NOT NULL, position INTEGER NOT NULL, record TEXT NOT NULL,
                        PRIMARY KEY (parent_arn, position)) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3: map run children as rows") { db in
            try db.execute(
                sql: """
                    CREATE TABLE map_run_children (
                        parent_arn TEXT NOT NULL, run_position INTEGER NOT NULL, idx INTEGER NOT NULL, record TEXT NOT NULL,
                        PRIMARY KEY (parent_arn, run_position, idx)) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4: task answers") { db in
            try db.execute(
                sql: """
                    CREATE TABLE task_answers (token TEXT PRIMARY KEY, execution_arn TEXT NOT NULL, answer TEXT NOT NULL) WITHOUT ROWID;
                    CREATE INDEX task_answers_by_execution ON task_answers (execution_arn);
                    """)
        }
        migrator.registerMigration("v5: running map run children's events") { db in
            // A running child's events are appended as they come, as an execution's are: its row
            // (rewritten whole as it goes) holds only how many there are and its checkpoint.
            try db.execute(
                sql: """
                    CREATE TABLE map_run_child_events (
                        parent_arn TEXT NOT NULL, child_arn TEXT NOT NULL, id INTEGER NOT NULL, previous_id INTEGER NOT NULL,
                        timestamp INTEGER NOT NULL, type TEXT NOT NULL, details_key TEXT, details TEXT,
                        PRIMARY KEY (child_arn, id)) WITHOUT ROWID;
                    CREATE INDEX map_run_child_events_by_parent ON map_run_child_events (parent_arn);
                    """)
        }
        migrator.registerMigration("v6: task heartbeats") { db in
            // The latest SendTaskHeartbeat per token, so a resumed task's period counts from it.
            try db.execute(
                sql: """
                    CREATE TABLE task_heartbeats (token TEXT PRIMARY KEY, execution_arn TEXT NOT NULL, beat_at INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE INDEX task_heartbeats_by_execution ON task_heartbeats (execution_arn);
                    """)
        }
        return migrator
    }

    // MARK: - ResourceStore

    func transaction<T: Sendable>(_ body: (inout ResourceTables) throws(AWSServiceError) -> T) throws(AWSServiceError) -> T {
        try memory.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> T in
            let result: Result<T, AWSServiceError>
            do throws(AWSServiceError) {
                result = .success(try body(&tables))
            } catch {
                result = .failure(error)
            }
            // A handler that changed something and then threw keeps its change in memory: write it too.
            try persistChanges(of: &tables)
            return try result.get()
        }
    }

    func flush() {
        flushProgress()
    }

    func stopWriting() {
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    func commitProgress(of execution: Execution) throws(AWSServiceError) {
        let arn = execution.identity.executionArn
        do {
            try database.write { db in try writeProgress(of: execution, arn: arn, db) }
        } catch {
            throw .internalFailure("StepLocal could not write to its data directory: \(error)")
        }
    }

    // MARK: - Task answers

    /// Writes a worker's accepted answer before SendTaskSuccess / SendTaskFailure answers (see
    /// ``TaskAnswerLog``). The answer has reached the task already: a failed write is logged,
    /// not answered as an error that would make the worker send it again (TaskTimedOut then).
    func keep(_ answer: Result<JSONValue, StatesError>, token: String, executionArn: String, workerName: String?) {
        do {
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO task_answers (token, execution_arn, answer) VALUES (?, ?, ?)",
                    arguments: [token, executionArn, StoredRecordCoding.encode(answer, workerName: workerName).serialized()])
                written.withLock { _ = $0.answerOwners.insert(executionArn) }
            }
        } catch {
            logger.error("Could not write a task answer for \(executionArn) to the data directory: \(error)")
        }
    }

    /// Writes an accepted SendTaskHeartbeat before it answers (see ``TaskAnswerLog``): a server
    /// killed afterwards gives the resumed task the period that beat began, not a fresh one. A
    /// failed write is logged: the beat has reached the task already.
    func keepHeartbeat(token: String, executionArn: String, at moment: Timestamp) {
        do {
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO task_heartbeats (token, execution_arn, beat_at) VALUES (?, ?, ?)",
                    arguments: [token, executionArn, moment.millisecondsSince1970])
                written.withLock { _ = $0.answerOwners.insert(executionArn) }
            }
        } catch {
            logger.error("Could not write a task heartbeat for \(executionArn) to the data directory: \(error)")
        }
    }

    /// The answers ``load(clock:)`` read back for executions that resume (top-level ones and
    /// Distributed Map children), by token.
    private let answersToRestore = Mutex<[KeptAnswer]>([])
    /// The latest heartbeat per token ``load(clock:)`` read back for executions that resume.
    private let heartbeatsToRestore = Mutex<[(token: String, owner: String, at: Timestamp)]>([])

    private struct KeptAnswer: Sendable {
        var token: String
        var owner: String
        var answer: Result<JSONValue, StatesError>
        var workerName: String?
    }

    /// Hands the heartbeats and answers kept before the restart to the registry the resumed tasks
    /// wait in.
    func restoreTaskCallbacks(into registry: CallbackRegistry) {
        let beats = heartbeatsToRestore.withLock { list in
            defer { list = [] }
            return list
        }
        for beat in beats {
            registry.restoreHeartbeat(token: beat.token, owner: beat.owner, at: beat.at)
        }
        let answers = answersToRestore.withLock { list in
            defer { list = [] }
            return list
        }
        for kept in answers {
            registry.restoreAnswer(token: kept.token, owner: kept.owner, result: kept.answer, workerName: kept.workerName)
        }
    }

    // MARK: - Engine progress

    /// An execution's end is written before anyone can see it (with the events on the way there
    /// that the next flush had not written yet): a client that saw it finish finds it finished
    /// after any restart, even a `kill -9` right after DescribeExecution answered.
    func executionWillEnd(_ execution: Execution) {
        writeEnd(of: execution)
    }

    private func writeEnd(of execution: Execution) {
        if stopped.load(ordering: .relaxed) { return }
        let arn = execution.identity.executionArn
        pending.withLock { _ = $0.dirty.removeValue(forKey: arn) }
        do {
            try database.write { db in try writeProgress(of: execution, arn: arn, db) }
        } catch {
            logger.error("Could not write the end of \(arn) to the data directory: \(error)")
        }
    }

    /// A Distributed Map child's end is written before it is visible, as a top-level execution's
    /// is: its row, and the rows of children started before it that have none yet (a restart reads
    /// a run's child rows only up to the first gap). The run's other changes wait for the parent's
    /// next write, as before.
    func mapRunChildWillEnd(_ child: Execution, of parent: Execution) {
        if stopped.load(ordering: .relaxed) { return }
        // A parent that has ended (or is ending) wrote its runs for the last time.
        guard parent.statusIncludingDecidedEnd == .running else { return }
        let arn = parent.identity.executionArn
        do {
            try database.write { db in
                guard written.withLock({ $0.readMarks[arn] != nil }) else { return }
                // Only this child's row (and those its row needs before it): not the whole run, for
                // each of its thousands of children.
                for (position, run) in parent.mapRuns.enumerated() {
                    var kept = try writeRecord(of: run, position: position, parentArn: arn, db)
                    let found = try writeChildren(of: run, position: position, parentArn: arn, kept: &kept, endingChild: child, db)
                    written.withLock { $0.mapRuns[run.arn] = kept }
                    if found { return }
                }
            }
        } catch {
            logger.error("Could not write the end of \(child.identity.executionArn) to the data directory: \(error)")
        }
    }

    func executionDidChange(_ execution: Execution) {
        if stopped.load(ordering: .relaxed) { return }
        if execution.status != .running {
            // Written by `executionWillEnd` already, unless that write failed or something was
            // recorded since (then it is written again now).
            let arn = execution.identity.executionArn
            if written.withLock({ $0.readMarks[arn] }) == execution.readMark {
                pending.withLock { _ = $0.dirty.removeValue(forKey: arn) }
            } else {
                writeEnd(of: execution)
            }
            return
        }
        let schedule = pending.withLock { p -> Bool in
            p.dirty[execution.identity.executionArn] = execution
            if p.flushScheduled { return false }
            p.flushScheduled = true
            return true
        }
        guard schedule else { return }
        Task.detached { [self] in
            try? await Task.sleep(for: Self.progressDelay)
            flushProgress()
        }
    }

    /// Writes what the engine changed in stored executions since the last flush.
    private func flushProgress() {
        let dirty = pending.withLock { p in
            defer {
                p.dirty = [:]
                p.flushScheduled = false
            }
            return p.dirty
        }
        guard !dirty.isEmpty, !stopped.load(ordering: .relaxed) else { return }
        do {
            try database.write { db in
                for (arn, execution) in dirty { try writeProgress(of: execution, arn: arn, db) }
            }
        } catch {
            logger.error("Could not write execution progress to the data directory: \(error)")
        }
    }

    private func writeProgress(of execution: Execution, arn: String, _ db: Database) throws {
        guard let already = written.withLock({ $0.readMarks[arn] }) else { return }
        let progress = execution.progress(since: already)
        try db.execute(
            sql: """
                UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ?, redrive_count = ?, redrive_date = ?,
                    checkpoint = ?
                WHERE arn = ?
                """,
            arguments: [
                progress.status.rawValue, progress.output?.serialized(), progress.error, progress.cause,
                progress.stopDate?.millisecondsSince1970, progress.redriveCount, progress.redriveDate?.millisecondsSince1970,
                progress.checkpoint.map { StoredRecordCoding.encode($0).serialized() }, arn,
            ])
        if let cut = progress.historyRewrittenAfter {
            try db.execute(sql: "DELETE FROM history_events WHERE execution_arn = ? AND id > ?", arguments: [arn, cut])
        }
        for event in progress.newEvents {
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO history_events (execution_arn, id, previous_id, timestamp, type, details_key, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    arn, event.id, event.previousEventId, event.timestamp.millisecondsSince1970, event.type, event.detailsKey,
                    event.detailsKey == nil ? nil : JSONValue.object(event.details).serialized(),
                ])
        }
        written.withLock { $0.readMarks[arn] = progress.readMark }
        try writeMapRuns(of: execution, arn: arn, ended: progress.status != .running, db)
        if progress.status != .running, written.withLock({ $0.answerOwners.remove(arn) != nil }) {
            try db.execute(sql: "DELETE FROM task_answers WHERE execution_arn = ?", arguments: [arn])
            try db.execute(sql: "DELETE FROM task_heartbeats WHERE execution_arn = ?", arguments: [arn])
        }
    }

    /// Writes what changed in the execution's Map Runs: a run's record when its status or counts
    /// changed, a child's row when it started, as it goes (with its history and checkpoint) and
    /// when it ended. Written as they go (the Distributed Map tells the observer as children
    /// start, change and end), so a restart continues a run, and each child where it stood,
    /// instead of starting them over; once the execution has ended nothing is tracked for them.
    private func writeMapRuns(of execution: Execution, arn: String, ended: Bool, _ db: Database) throws {
        // Before the children are read: one that changes while they are written says so again.
        execution.takeChildrenChanged()
        let runs = execution.mapRuns
        guard !runs.isEmpty else { return }
        for (position, run) in runs.enumerated() {
            var kept = try writeRecord(of: run, position: position, parentArn: arn, db)
            _ = try writeChildren(of: run, position: position, parentArn: arn, kept: &kept, db)
            written.withLock { w in
                if ended { w.mapRuns[run.arn] = nil } else { w.mapRuns[run.arn] = kept }
            }
        }
    }

    /// Writes the run's record if it changed since the file got it; returns what the file holds of the run.
    private func writeRecord(of run: MapRun, position: Int, parentArn: String, _ db: Database) throws -> WrittenMapRun {
        var kept = written.withLock { $0.mapRuns[run.arn] } ?? WrittenMapRun()
        let record = StoredRecordCoding.encode(run).serialized()
        if record != kept.record {
            try db.execute(
                sql: "INSERT OR REPLACE INTO map_runs (parent_arn, position, record) VALUES (?, ?, ?)", arguments: [parentArn, position, record])
            kept.record = record
        }
        return kept
    }

    /// Writes the rows of the run's children that changed since the file got them, from the first
    /// one not written ended (those before it cannot change until a redrive, which starts the
    /// parent's tracking over). With `endingChild`, only that child's row (it is written ended)
    /// and the rows of children started before it that have none yet, since a restart reads a
    /// run's child rows up to the first gap; returns whether `endingChild` is the run's.
    private func writeChildren(
        of run: MapRun, position: Int, parentArn arn: String, kept: inout WrittenMapRun, endingChild: Execution? = nil, _ db: Database
    ) throws -> Bool {
        let open = run.children(from: kept.firstOpen)
        let count = kept.firstOpen + open.count
        if kept.children.count < count {
            kept.children.append(contentsOf: repeatElement(.missing, count: count - kept.children.count))
            kept.childEvents.append(contentsOf: repeatElement(HistoryReadMark.start, count: count - kept.childEvents.count))
        }
        defer {
            while kept.firstOpen < kept.children.count, kept.children[kept.firstOpen] == .ended { kept.firstOpen += 1 }
        }
        for (offset, child) in open.enumerated() {
            let index = kept.firstOpen + offset
            guard kept.children[index] != .ended else { continue }
            let isEnding = child === endingChild
            if endingChild != nil, !isEnding, kept.children[index] != .missing { continue }
            // A child whose end is decided is written ended (see `mapRunChildWillEnd`).
            let now: ChildRow = child.statusIncludingDecidedEnd == .running ? .running(changes: child.observedChangeCount) : .ended
            if now != kept.children[index] {
                let record: JSONValue
                if now == .ended {
                    // Its whole history goes into its row, as a closed child's always did.
                    record = StoredRecordCoding.encode(child)
                    try db.execute(sql: "DELETE FROM map_run_child_events WHERE child_arn = ?", arguments: [child.identity.executionArn])
                } else {
                    let progress = child.progress(since: kept.childEvents[index])
                    if progress.checkpoint != nil {
                        if let cut = progress.historyRewrittenAfter {
                            try db.execute(
                                sql: "DELETE FROM map_run_child_events WHERE child_arn = ? AND id > ?",
                                arguments: [child.identity.executionArn, cut])
                        }
                        for event in progress.newEvents {
                            try db.execute(
                                sql: """
                                    INSERT OR REPLACE INTO map_run_child_events
                                        (parent_arn, child_arn, id, previous_id, timestamp, type, details_key, details)
                                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                                    """,
                                arguments: [
                                    arn, child.identity.executionArn, event.id, event.previousEventId, event.timestamp.millisecondsSince1970,
                                    event.type, event.detailsKey, event.detailsKey == nil ? nil : JSONValue.object(event.details).serialized(),
                                ])
                        }
                        kept.childEvents[index] = progress.readMark
                    }
                    record = StoredRecordCoding.encode(running: child, progress: progress)
                }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO map_run_children (parent_arn, run_position, idx, record) VALUES (?, ?, ?, ?)",
                    arguments: [arn, position, index, record.serialized()])
                kept.children[index] = now
            }
            if isEnding { return true }
        }
        return false
    }

    // MARK: - Writing a transaction's changes

    private func persistChanges(of tables: inout ResourceTables) throws(AWSServiceError) {
        let machines = tables.stateMachines.takeChangedKeys()
        let activities = tables.activities.takeChangedKeys()
        let tags = tables.tags.takeChangedKeys()
        let executions = tables.takeExecutionChanges()
        if machines.isEmpty, activities.isEmpty, tags.isEmpty, executions.isEmpty { return }
        let snapshot = tables
        do {
            try database.write { db in
                for arn in machines {
                    let record = snapshot.stateMachines[arn]
                    for revision in record.map(StoredRecordCoding.revisions(of:)) ?? [] { try writeRevision(revision, db) }
                    try Self.put(record.map { StoredRecordCoding.encode($0).serialized() }, table: "state_machines", column: "record", arn: arn, db)
                }
                for arn in activities {
                    try Self.put(
                        snapshot.activities[arn].map { StoredRecordCoding.encode($0).serialized() }, table: "activities", column: "record", arn: arn, db)
                }
                for arn in tags {
                    let list = snapshot.tags[arn].flatMap { $0.isEmpty ? nil : $0 }
                    try Self.put(list.map { StoredRecordCoding.encode($0).serialized() }, table: "tags", column: "tags", arn: arn, db)
                }
                for arn in executions {
                    if let record = snapshot.executions[arn] {
                        try writeRevision(record.revision, db)
                        try db.execute(
                            sql: """
                                INSERT INTO executions (arn, sequence, record, token_secret) VALUES (?, ?, ?, ?)
                                ON CONFLICT(arn) DO UPDATE SET sequence = excluded.sequence, record = excluded.record,
                                    token_secret = excluded.token_secret
                                """,
                            arguments: [
                                arn, record.sequence, StoredRecordCoding.encode(record).serialized(),
                                Int64(bitPattern: record.execution.tokenSecret),
                            ])
                        written.withLock { w in
                            if w.readMarks[arn] == nil { w.readMarks[arn] = .start }
                        }
                        try writeProgress(of: record.execution, arn: arn, db)
                    } else {
                        try db.execute(sql: "DELETE FROM executions WHERE arn = ?", arguments: [arn])
                        try db.execute(sql: "DELETE FROM history_events WHERE execution_arn = ?", arguments: [arn])
                        try db.execute(sql: "DELETE FROM map_runs WHERE parent_arn = ?", arguments: [arn])
                        try db.execute(sql: "DELETE FROM map_run_children WHERE parent_arn = ?", arguments: [arn])
                        try db.execute(sql: "DELETE FROM map_run_child_events WHERE parent_arn = ?", arguments: [arn])
                        written.withLock { _ = $0.readMarks.removeValue(forKey: arn) }
                    }
                }
            }
        } catch {
            throw .internalFailure("StepLocal could not write to its data directory: \(error)")
        }
    }

    /// Writes one record's JSON under its ARN, or deletes the row when the record is gone.
    private static func put(_ text: String?, table: String, column: String, arn: String, _ db: Database) throws {
        if let text {
            try db.execute(sql: "INSERT OR REPLACE INTO \(table) (arn, \(column)) VALUES (?, ?)", arguments: [arn, text])
        } else {
            try db.execute(sql: "DELETE FROM \(table) WHERE arn = ?", arguments: [arn])
        }
    }

    private func writeRevision(_ revision: StateMachineRevision, _ db: Database) throws {
        let isNew = written.withLock { $0.revisionIds.insert(revision.revisionId).inserted }
        guard isNew else { return }
        try db.execute(
            sql: "INSERT OR IGNORE INTO revisions (id, record) VALUES (?, ?)",
            arguments: [revision.revisionId, StoredRecordCoding.encode(revision).serialized()])
    }

    // MARK: - Start-up

    /// What ``load(clock:)`` found.
    struct LoadSummary: Sendable {
        var stateMachines = 0
        var activities = 0
        var executions = 0
        /// Executions that were running when the last server stopped: ``resumeRunning(with:)`` continues them.
        var running = 0
    }

    /// A running execution read back, waiting for the engine to continue it.
    private struct ResumableExecution: Sendable {
        var execution: Execution
        var definition: StateMachineDefinition
        var checkpoint: ExecutionCheckpoint?
        /// The events after the checkpoint, which stay in the history: the resumed run finds them
        /// again as it records them, and the branches and iterations the checkpoint keeps find theirs there.
        var eventsAfterCheckpoint: [HistoryEvent]
        /// The events the resumed run counts as done: those before the checkpoint and the kept
        /// threads' (at any depth).
        var eventsDone: [HistoryEvent]
        var stateMachineName: String
        var mockTestCase: String?
        /// Map Runs whose MapRunStarted (or MapRunRedriven) the kept history, or the kept threads'
        /// events, still hold: they are not continued. Of the others, those redriven since.
        var mapRunsKept: Set<String>
        var mapRunsRedrivenInCut: Set<String>
    }

    private let resumable = Mutex<[ResumableExecution]>([])

    /// Reads everything the file holds into memory. An execution that was running keeps its whole
    /// history when it has a checkpoint (the events after it are expected again), else is cut back
    /// to where its run began, its start or its last redrive (file included);
    /// ``resumeRunning(with:)`` then continues it.
    func load(clock: any ExecutionClock) throws -> LoadSummary {
        var summary = LoadSummary()
        var restored = ResourceTables()
        var marksWritten: [String: HistoryReadMark] = [:]
        var toResume: [ResumableExecution] = []
        try database.write { db in
            var revisionTexts: [String: JSONValue] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, record FROM revisions") {
                revisionTexts[row["id"]] = try Self.parse(row["record"])
            }
            var revisions: [String: StateMachineRevision] = [:]
            func revision(_ id: String, _ type: StateMachineType) throws -> StateMachineRevision {
                let key = "\(type.rawValue)/\(id)"
                if let known = revisions[key] { return known }
                guard let json = revisionTexts[id] else { throw StoreCorruption("revision \(id) is missing") }
                let loaded = try StoredRecordCoding.decodeRevision(json, type: type)
                revisions[key] = loaded
                return loaded
            }
            for row in try Row.fetchAll(db, sql: "SELECT record FROM state_machines") {
                let json = try Self.parse(row["record"])
                let type = json["type"]?.stringValue.flatMap(StateMachineType.init(rawValue:)) ?? .standard
                let record = try StoredRecordCoding.decodeStateMachine(json) { try revision($0, type) }
                restored.stateMachines.restore(record, forKey: record.arn)
                restored.restoreSequence(atLeast: record.sequence)
                summary.stateMachines += 1
            }
            for row in try Row.fetchAll(db, sql: "SELECT record FROM activities") {
                let record = try StoredRecordCoding.decodeActivity(try Self.parse(row["record"]))
                restored.activities.restore(record, forKey: record.arn)
                restored.restoreSequence(atLeast: record.sequence)
                summary.activities += 1
            }
            for row in try Row.fetchAll(db, sql: "SELECT arn, tags FROM tags") {
                restored.tags.restore(StoredRecordCoding.decodeTags(try Self.parse(row["tags"])), forKey: row["arn"])
            }
            var histories: [String: [HistoryEvent]] = [:]
            let events = try Row.fetchCursor(
                db, sql: "SELECT execution_arn, id, previous_id, timestamp, type, details_key, details FROM history_events ORDER BY execution_arn, id")
            while let row = try events.next() {
                histories[row["execution_arn"], default: []].append(try Self.event(from: row))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM executions ORDER BY sequence") {
                let json = try Self.parse(row["record"])
                let arn: String = row["arn"]
                guard let type = json["type"]?.stringValue.flatMap(StateMachineType.init(rawValue:)),
                    let revisionId = json["revisionId"]?.stringValue, let inputText = json["input"]?.stringValue,
                    let startDate = StoredRecordCoding.timestamp(json["startDate"]), let name = json["name"]?.stringValue,
                    let machineArn = json["stateMachineArn"]?.stringValue, let machineName = json["stateMachineName"]?.stringValue,
                    let status = ExecutionStatus(rawValue: row["status"])
                else { throw StoreCorruption("execution \(arn) lacks a member") }
                var history = histories.removeValue(forKey: arn) ?? []
                var checkpoint: ExecutionCheckpoint?
                var eventsAfterCheckpoint: [HistoryEvent] = []
                var eventsDone: [HistoryEvent] = []
                var mapRunsKept: Set<String> = []
                var mapRunsRedrivenInCut: Set<String> = []
                if status == .running || status == .pendingRedrive {
                    // Where the run continues: its checkpoint, or its start.
                    let checkpointText: String? = row["checkpoint"]
                    checkpoint = try checkpointText.map { try StoredRecordCoding.decodeCheckpoint(try Self.parse($0)) }
                    // In a Retry's back-off, the failed attempts' events are done too.
                    let keep =
                        checkpoint.map(\.eventsKept)
                        ?? (history.lastIndex { $0.type == "ExecutionRedriven" }.map { $0 + 1 } ?? min(1, history.count))
                    eventsDone = checkpoint?.eventsDone(in: history) ?? Array(history.prefix(keep))
                    if keep < history.count {
                        eventsAfterCheckpoint = Array(history[keep...])
                        mapRunsRedrivenInCut = Self.mapRunArns(in: history[keep...], startedBy: "MapRunRedriven")
                        // With a checkpoint the events after it stay: the resumed run finds them again as
                        // it records them. Without one (no state was reached) it starts over: they go.
                        if checkpoint == nil {
                            history.removeSubrange(keep...)
                            eventsAfterCheckpoint = []
                            try db.execute(sql: "DELETE FROM history_events WHERE execution_arn = ? AND id > ?", arguments: [arn, keep])
                        }
                    }
                    mapRunsKept = Self.mapRunArns(in: eventsDone, startedBy: nil)
                }
                let identity = ExecutionIdentity(
                    executionArn: arn, name: name, stateMachineArn: json["runStateMachineArn"]?.stringValue ?? machineArn,
                    stateMachineName: machineName, roleArn: json["roleArn"]?.stringValue ?? "", startTime: startDate,
                    redriveCount: row["redrive_count"])
                let outputText: String? = row["output"]
                let execution = Execution.restored(
                    ExecutionSnapshot(
                        identity: identity, input: try Self.parse(inputText), status: status == .pendingRedrive ? .running : status,
                        output: try outputText.map(Self.parse), error: row["error"], cause: row["cause"],
                        stopDate: (row["stop_date"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                        redriveDate: (row["redrive_date"] as Int64?).map(Timestamp.init(millisecondsSince1970:)), history: history),
                    // Under WAIT_TIME_SCALE=0 its time had run ahead of the wall clock: it goes on from its last event.
                    tokenSecret: UInt64(bitPattern: row["token_secret"]), clock: clock.forExecution(startingAt: history.last?.timestamp),
                    observer: self)
                var record = ExecutionRecord(
                    arn: arn, name: name, stateMachineArn: machineArn, stateMachineName: machineName,
                    stateMachineVersionArn: json["versionArn"]?.stringValue, stateMachineAliasArn: json["aliasArn"]?.stringValue, type: type,
                    inputText: inputText, traceHeader: json["traceHeader"]?.stringValue, revision: try revision(revisionId, type),
                    startDate: startDate, sequence: row["sequence"], execution: execution, mapRunArn: json["mapRunArn"]?.stringValue)
                record.mockTestCase = json["mockTestCase"]?.stringValue
                record.redriveTokens = (json["redriveTokens"]?.arrayValue ?? []).compactMap { entry in
                    guard let token = entry["token"]?.stringValue, let date = StoredRecordCoding.timestamp(entry["date"]) else { return nil }
                    return (token: token, date: date)
                }
                restored.restoreExecution(record)
                marksWritten[arn] = HistoryReadMark(eventCount: history.count)
                if status == .running || status == .pendingRedrive {
                    toResume.append(
                        ResumableExecution(
                            execution: execution, definition: record.revision.definition, checkpoint: checkpoint,
                            eventsAfterCheckpoint: eventsAfterCheckpoint, eventsDone: eventsDone, stateMachineName: machineName, mockTestCase: record.mockTestCase,
                            mapRunsKept: mapRunsKept, mapRunsRedrivenInCut: mapRunsRedrivenInCut))
                }
                summary.executions += 1
            }
            var childRows: [String: [Int: [JSONValue]]] = [:]
            let children = try Row.fetchCursor(
                db, sql: "SELECT parent_arn, run_position, idx, record FROM map_run_children ORDER BY parent_arn, run_position, idx")
            while let row = try children.next() {
                let position: Int = row["run_position"]
                let index: Int = row["idx"]
                var rows = childRows[row["parent_arn"], default: [:]][position, default: []]
                // Children start in item order and are written in that order: a gap would be a half-written run.
                guard index == rows.count else { continue }
                rows.append(try Self.parse(row["record"]))
                childRows[row["parent_arn"], default: [:]][position] = rows
            }
            var childEvents: [String: [HistoryEvent]] = [:]
            let childEventRows = try Row.fetchCursor(
                db,
                sql: "SELECT child_arn, id, previous_id, timestamp, type, details_key, details FROM map_run_child_events ORDER BY child_arn, id")
            while let row = try childEventRows.next() {
                childEvents[row["child_arn"], default: []].append(try Self.event(from: row))
            }
            var mapRuns: [String: [MapRun]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT parent_arn, position, record FROM map_runs ORDER BY parent_arn, position") {
                let parent: String = row["parent_arn"]
                let position: Int = row["position"]
                mapRuns[parent, default: []].append(
                    try StoredRecordCoding.decodeMapRun(
                        try Self.parse(row["record"]), children: childRows[parent]?[position] ?? [], childEvents: childEvents, clock: clock))
            }
            for (parent, runs) in mapRuns {
                restored.executions[parent]?.execution.restore(mapRuns: runs)
            }
            for resumable in toResume {
                // The runs whose starting event follows the checkpoint were under way in the state that runs again: it continues them.
                let interrupted = (mapRuns[resumable.execution.identity.executionArn] ?? []).filter { !resumable.mapRunsKept.contains($0.arn) }
                resumable.execution.keepInterrupted(
                    interrupted.map { run in
                        InterruptedMapRun(run: run, startedBy: resumable.mapRunsRedrivenInCut.contains(run.arn) ? .mapRunRedriven : .mapRunStarted)
                    })
            }
            // Answers a worker sent before the server stopped, for the executions that resume (a
            // Distributed Map's running children among them); the others' are gone with them.
            var resuming = Set(toResume.map { $0.execution.identity.executionArn })
            for runs in mapRuns.values {
                for run in runs where run.status == .running {
                    for child in run.children where child.status == .running { resuming.insert(child.identity.executionArn) }
                }
            }
            var answers: [KeptAnswer] = []
            for row in try Row.fetchAll(db, sql: "SELECT token, execution_arn, answer FROM task_answers") {
                let owner: String = row["execution_arn"]
                guard resuming.contains(owner) else {
                    try db.execute(sql: "DELETE FROM task_answers WHERE token = ?", arguments: [row["token"] as String])
                    continue
                }
                let json = try Self.parse(row["answer"])
                answers.append(
                    KeptAnswer(token: row["token"], owner: owner, answer: try StoredRecordCoding.decodeAnswer(json), workerName: json["workerName"]?.stringValue))
            }
            answersToRestore.withLock { $0 = answers }
            var beats: [(token: String, owner: String, at: Timestamp)] = []
            for row in try Row.fetchAll(db, sql: "SELECT token, execution_arn, beat_at FROM task_heartbeats") {
                let owner: String = row["execution_arn"]
                guard resuming.contains(owner) else {
                    try db.execute(sql: "DELETE FROM task_heartbeats WHERE token = ?", arguments: [row["token"] as String])
                    continue
                }
                beats.append((row["token"], owner, Timestamp(millisecondsSince1970: row["beat_at"])))
            }
            heartbeatsToRestore.withLock { $0 = beats }
            written.withLock { w in
                w.readMarks = marksWritten
                w.revisionIds = Set(revisionTexts.keys)
                w.answerOwners = Set(answers.map(\.owner) + beats.map(\.owner))
            }
        }
        try memory.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            restored.maxExecutions = tables.maxExecutions
            tables = restored
            tables.tracksChanges = true
        }
        summary.running = toResume.count
        resumable.withLock { $0 = toResume }
        return summary
    }

    /// A history event as `history_events` and `map_run_child_events` hold it.
    private static func event(from row: Row) throws -> HistoryEvent {
        let detailsKey: String? = row["details_key"]
        var details: JSONObject = [:]
        if detailsKey != nil, let text: String = row["details"], case .object(let object) = try parse(text) { details = object }
        return HistoryEvent(
            id: row["id"], previousEventId: row["previous_id"], timestamp: Timestamp(millisecondsSince1970: row["timestamp"]),
            type: row["type"], detailsKey: detailsKey, details: details)
    }

    /// Continues every running execution ``load(clock:)`` read back, on `engine` (whose clock,
    /// dispatcher and task-token registry the server has now built). One started with a mock test
    /// case runs under it again, if the mock configuration still defines it; otherwise its Tasks
    /// fail as unmocked ones do, and the log says why.
    func resumeRunning(with engine: ExecutionEngine, mockConfig: MockConfig, selections: MockSelections) {
        let pending = resumable.withLock { list in
            defer { list = [] }
            return list
        }
        for item in pending {
            if let name = item.mockTestCase {
                if let testCase = mockConfig.testCase(stateMachine: item.stateMachineName, name: name) {
                    // The finished branches' and iterations' calls count too: their events are recorded
                    // again. So do a Distributed Map's children's: they take the test case's responses in
                    // turn with their parent (see TaskRequest.rootExecutionArn).
                    var counts = Self.taskInvocations(in: item.eventsDone)
                    for childEvents in Self.mapRunChildrenEventsDone(of: item.execution) {
                        counts.merge(Self.taskInvocations(in: childEvents), uniquingKeysWith: +)
                    }
                    selections.rebind(executionArn: item.execution.identity.executionArn, to: testCase, invocationCounts: counts)
                } else {
                    logger.warning(
                        "\(item.execution.identity.executionArn) was started with test case '\(name)', which the mock configuration no longer defines: it resumes without mocks")
                }
            }
            engine.resume(item.execution, definition: item.definition, from: item.checkpoint, eventsAfterCheckpoint: item.eventsAfterCheckpoint)
        }
    }

    /// The events each child of `execution`'s Map Runs (and theirs, at any depth) counts as done:
    /// a running child's before its checkpoint and its kept threads' (``ExecutionCheckpoint/eventsDone(in:)``).
    static func mapRunChildrenEventsDone(of execution: Execution) -> [[HistoryEvent]] {
        execution.mapRuns.flatMap { run in
            let points = run.childResumePoints
            return run.children.enumerated().flatMap { index, child in
                let history = child.snapshot().history
                return [points[index]?.checkpoint.eventsDone(in: history) ?? history] + mapRunChildrenEventsDone(of: child)
            }
        }
    }

    /// How often each Task state was invoked, read from a history: every `*Scheduled` event (one
    /// per attempt) belongs to the state whose entered event its `previousEventId` chain reaches.
    static func taskInvocations(in history: [HistoryEvent]) -> [String: Int] {
        var byId: [Int: HistoryEvent] = [:]
        for event in history { byId[event.id] = event }
        var counts: [String: Int] = [:]
        for event in history where ["TaskScheduled", "ActivityScheduled", "LambdaFunctionScheduled"].contains(event.type) {
            var cursor = byId[event.previousEventId]
            while let current = cursor, !current.type.hasSuffix("StateEntered") { cursor = byId[current.previousEventId] }
            if let name = cursor?.stateName { counts[name, default: 0] += 1 }
        }
        return counts
    }

    /// The Map Runs that events of these types (MapRunStarted and MapRunRedriven when nil) name.
    private static func mapRunArns(in events: some Sequence<HistoryEvent>, startedBy type: String?) -> Set<String> {
        var arns: Set<String> = []
        for event in events where type.map({ event.type == $0 }) ?? (event.type == "MapRunStarted" || event.type == "MapRunRedriven") {
            if let arn = event.details["mapRunArn"]?.stringValue { arns.insert(arn) }
        }
        return arns
    }

    private static func parse(_ text: String) throws -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw StoreCorruption("a stored record is not JSON: \(error)")
        }
    }
}
