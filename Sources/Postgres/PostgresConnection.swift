import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One synchronous connection to a PostgreSQL server, through libpq.
///
/// Not `Sendable`: use a connection from one thread at a time. Every call blocks until the server
/// answers. The session always uses UTF-8, `DateStyle` `ISO, YMD` and `IntervalStyle`
/// `iso_8601`, which the text decoders rely on.
///
/// ```swift
/// let connection = try PostgresConnection(configuration: .init(connectionString: url))
/// let rows = try connection.query("SELECT id, title FROM cases WHERE opened_on >= $1::date", ["2025-01-01"])
/// for row in rows { print(try row.decode(Int.self, "id"), try row.decode(String.self, "title")) }
/// ```
public final class PostgresConnection {
    /// The libpq connection; `nil` once closed.
    var handle: OpaquePointer?

    /// Removes the password from every message that leaves this connection.
    let scrubber: PasswordScrubber

    /// Where the notice processor puts the server's notices; must outlive `handle`.
    let noticeBuffer = NoticeBuffer()

    /// The most recent error a command on this connection failed with.
    ///
    /// Lets ``transaction(isolation:readOnly:maxAttempts:_:)`` report why a transaction whose body
    /// swallowed an error cannot commit.
    var lastCommandError: PostgresError?

    /// Called with the SQL text of every command just before it is sent, `BEGIN` and `COMMIT`
    /// included; `nil` unless a test watches what a connection runs (for example, that a set of
    /// reads runs in one transaction).
    package var statementObserver: ((String) -> Void)?

    /// The `NOTICE`, `WARNING` and other non-error messages the server sent during the last command.
    ///
    /// Notices are never printed to standard error. Each command clears the list, except the
    /// `COMMIT` and `ROLLBACK` that ``transaction(isolation:readOnly:maxAttempts:_:)`` sends.
    public var notices: [String] {
        self.noticeBuffer.messages.map { self.scrubber.scrub($0) }
    }

    /// Connects to the server described by `configuration`.
    ///
    /// - Throws: ``PostgresError`` of kind ``PostgresError/Kind/authenticationFailed`` if the server
    ///   refuses the credentials (with its SQLSTATE, such as `28P01`) or wants a password and none was
    ///   given; of kind ``PostgresError/Kind/connectionFailed`` if the server cannot be reached, refuses
    ///   the connection for another reason (with its SQLSTATE, such as `3D000`), or the connection
    ///   string is invalid.
    public init(configuration: PostgresConfiguration) throws {
        let connectionString = configuration.connectionString ?? ""
        var scrubber = PasswordScrubber(secrets: PasswordScrubber.environmentSecrets())
        var userOptions: String?
        if !connectionString.isEmpty {
            do {
                let parameters = try PostgresConfiguration.parseConnectionString(connectionString)
                scrubber.add(parameters.filter { $0.keyword == "password" }.map(\.value))
                userOptions = parameters.last { $0.keyword == "options" }?.value
            } catch var error as PostgresError {
                error.message = scrubber.scrub(error.message)
                throw error
            }
        }

        // Parameters after `dbname` override what the expanded connection string sets; those before it do not.
        let baseOptions = userOptions ?? getenv("PGOPTIONS").map { String(cString: $0) } ?? ""
        let sessionOptions = (baseOptions + " -c datestyle=ISO,YMD -c intervalstyle=iso_8601").trimmingWhitespace()
        var parameters: [(String, String)] = [("fallback_application_name", configuration.applicationName)]
        if !connectionString.isEmpty {
            parameters.append(("dbname", connectionString))
        }
        parameters.append(("client_encoding", "UTF8"))
        parameters.append(("options", sessionOptions))

        let handle: OpaquePointer
        switch Self.open(parameters) {
        case .success(let connected):
            handle = connected
        case .failure(let failure):
            scrubber.add(failure.password.map { [$0] } ?? [])
            let isAuthentication = failure.needsPassword || failure.sqlState?.hasPrefix("28") == true
            throw PostgresError(
                kind: isAuthentication ? .authenticationFailed : .connectionFailed,
                message: scrubber.scrub(failure.message), sqlState: failure.sqlState)
        }
        if let password = PQpass(handle) {
            scrubber.add([String(cString: password)])
        }
        self.handle = handle
        self.scrubber = scrubber
        PQsetNoticeProcessor(
            handle,
            { context, message in
                guard let context, let message else { return }
                Unmanaged<NoticeBuffer>.fromOpaque(context).takeUnretainedValue()
                    .append(String(cString: message).trimmingWhitespace())
            },
            Unmanaged.passUnretained(self.noticeBuffer).toOpaque()
        )
    }

    deinit {
        self.close()
    }

    /// Closes the connection; later commands throw ``PostgresError/Kind/connectionLost``.
    ///
    /// Safe to call more than once. An open transaction is rolled back by the server.
    public func close() {
        if let handle = self.handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// The server version as an integer, such as `150004` for 15.4; 0 once closed.
    public var serverVersion: Int {
        self.handle.map { Int(PQserverVersion($0)) } ?? 0
    }

    /// Whether the session is inside a transaction block, including a failed one awaiting `ROLLBACK`.
    public var isInTransaction: Bool {
        guard let handle = self.handle else { return false }
        switch PQtransactionStatus(handle) {
        case PQTRANS_INTRANS, PQTRANS_INERROR, PQTRANS_ACTIVE:
            return true
        default:
            return false
        }
    }

    /// libpq's current error message for `handle`, trimmed, or `nil` if there is none.
    static func errorMessage(_ handle: OpaquePointer) -> String? {
        guard let message = PQerrorMessage(handle) else { return nil }
        let text = String(cString: message).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }
}
