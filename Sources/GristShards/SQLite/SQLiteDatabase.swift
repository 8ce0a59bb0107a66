import CSQLite
import GristCore

/// A thin wrapper over SQLite's C API: open, execute, prepare. The manifest is its only user.
///
/// The raw C API builds in seconds and inserts ~8x faster than GRDB (docs/ARCHITECTURE.md).
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String

    public enum Mode: Sendable { case readOnly, readWrite }

    public init(path: String, mode: Mode = .readWrite) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = mode == .readOnly
            ? SQLITE_OPEN_READONLY
            : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw GristError(.io, "cannot open SQLite database: \(message)", at: InputPosition(path: path))
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Whether the connection cannot write: opened read-only, or opened read-write on a file SQLite could
    /// only open for reading (it falls back silently).
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Folds the write-ahead log into the database file and leaves WAL mode, so the file alone holds
    /// everything and read-only users (`grist stats`, a copied manifest) need no `-wal`/`-shm` side files.
    public func makeSelfContained() throws {
        try execute("PRAGMA journal_mode = DELETE")
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(errorMessage)
            let statement = sql.split(separator: "\n").first.map(String.init) ?? sql
            throw GristError(.io, "SQLite: \(message) in: \(statement.prefix(120))", at: InputPosition(path: path),
                             hint: message.contains("I/O") ? "is the disk full or the folder not writable?" : nil)
        }
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw GristError(.io, "SQLite: \(lastError) in: \(sql.prefix(200))", at: InputPosition(path: path))
        }
        return SQLiteStatement(statement: statement, database: self)
    }

    /// Runs `body` in one transaction: all of its writes land, or none.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs a query and returns its first column of its first row, if any.
    public func scalar(_ sql: String, _ values: SQLiteValue...) throws -> SQLiteValue? {
        let statement = try prepare(sql)
        try statement.bind(values)
        return try statement.step() ? statement.value(0) : nil
    }
}

/// A value bound to, or read from, a statement.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int? { if case .integer(let v) = self { return Int(v) } else { return nil } }
    public var double: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    public var string: String? { if case .text(let v) = self { return v } else { return nil } }
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLiteValue {
    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
}

/// A prepared statement: bind, step, read columns (by name, or by position), reset.
public final class SQLiteStatement {
    let statement: OpaquePointer
    let database: SQLiteDatabase
    /// Result column names to positions, built on the first read by name (a statement's columns never change).
    private var columnIndexes: [String: Int32]?

    init(statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds `values` to parameters 1…n, resetting the statement first.
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
            case .real(let v): rc = sqlite3_bind_double(statement, index, v)
            case .text(let v):
                var v = v
                rc = v.withUTF8 { csqlite_bind_text_transient(statement, index, $0.baseAddress, Int32($0.count)) }
            case .blob(let v):
                rc = v.withUnsafeBytes { csqlite_bind_blob_transient(statement, index, $0.baseAddress, Int32($0.count)) }
            }
            if rc != SQLITE_OK { throw error("cannot bind parameter \(index)") }
        }
    }

    /// Binds and runs a statement that returns no rows.
    public func run(_ values: SQLiteValue...) throws {
        try bind(values)
        while try step() {}
    }

    /// Advances to the next row; false when done.
    public func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error("step failed")
        }
    }

    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    public func columnName(_ index: Int) -> String { String(cString: sqlite3_column_name(statement, Int32(index))) }

    public func value(_ index: Int) -> SQLiteValue {
        let i = Int32(index)
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, i))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, i)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, i))
            guard let base = sqlite3_column_blob(statement, i), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    public func int(_ index: Int) -> Int { Int(sqlite3_column_int64(statement, Int32(index))) }
    public func double(_ index: Int) -> Double { sqlite3_column_double(statement, Int32(index)) }
    public func string(_ index: Int) -> String {
        sqlite3_column_text(statement, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// All rows of a query as arrays of values.
    public func rows(_ values: SQLiteValue...) throws -> [[SQLiteValue]] {
        try bind(values)
        var out: [[SQLiteValue]] = []
        while try step() { out.append((0..<columnCount).map(value)) }
        return out
    }

    // MARK: - Columns by name

    /// The position of the result column called `name`: its `AS` alias, or for a plain column its name in
    /// the table. Give every expression and every column of a join an alias: SQLite leaves their names
    /// unspecified otherwise. A name the query does not return is a programming error.
    public func columnIndex(_ name: String) -> Int32 {
        if columnIndexes == nil {
            var names: [String: Int32] = [:]
            for i in 0..<sqlite3_column_count(statement) {
                names[String(cString: sqlite3_column_name(statement, i))] = i
            }
            columnIndexes = names
        }
        guard let index = columnIndexes?[name] else {
            preconditionFailure("SQLite: no column \"\(name)\" in: \(String(cString: sqlite3_sql(statement)))")
        }
        return index
    }

    /// The current row's value of column `name` (`.null` when NULL): for columns that may be NULL.
    public subscript(_ name: String) -> SQLiteValue { value(Int(columnIndex(name))) }

    /// The current row's integer in column `name` (0 when NULL).
    public func int(_ name: String) -> Int { Int(sqlite3_column_int64(statement, columnIndex(name))) }

    /// The current row's number in column `name` (0 when NULL).
    public func double(_ name: String) -> Double { sqlite3_column_double(statement, columnIndex(name)) }

    /// The current row's text in column `name` ("" when NULL).
    public func string(_ name: String) -> String {
        sqlite3_column_text(statement, columnIndex(name)).map { String(cString: $0) } ?? ""
    }

    /// Binds `values`, steps through every row and returns what `transform` makes of each; `transform`
    /// reads the current row from the statement, by column name.
    public func mapRows<T>(_ values: SQLiteValue..., transform: (SQLiteStatement) throws -> T) throws -> [T] {
        try bind(values)
        var out: [T] = []
        while try step() { out.append(try transform(self)) }
        return out
    }

    /// Binds `values` and returns what `transform` makes of the first row, or nil when there is none.
    public func firstRow<T>(_ values: SQLiteValue..., transform: (SQLiteStatement) throws -> T) throws -> T? {
        try bind(values)
        return try step() ? transform(self) : nil
    }

    private func error(_ what: String) -> GristError {
        GristError(.io, "SQLite: \(what): \(database.lastError)", at: InputPosition(path: database.path))
    }
}
