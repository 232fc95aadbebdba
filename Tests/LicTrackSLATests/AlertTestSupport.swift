import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Helpers for the alert suites, all inside `AlertFixture` (and `AlertTestServer`) so that they
// cannot collide with what the other suites of this target define.
//
// Data is set up with SQL the way a psql user would; the commands are run through the built
// `lictrack` binary, the way cron runs them.

enum AlertFixture {
    // MARK: Running lictrack

    /// Runs `lictrack` against `database`; curl never goes through a proxy for the local test server.
    static func run(
        _ arguments: [String], _ database: TestDatabase?, environment: [String: String] = [:]
    ) throws -> LicTrackBinary.Outcome {
        try LicTrackBinary.run(arguments, database: database, environment: proxyFree.merging(environment) { $1 })
    }

    /// Starts `lictrack` without waiting for it.
    static func start(
        _ arguments: [String], _ database: TestDatabase, environment: [String: String] = [:]
    ) -> LicTrackBinary.Running {
        LicTrackBinary.start(arguments, database: database, environment: proxyFree.merging(environment) { $1 })
    }

    /// Runs `lictrack` and requires exit 0.
    @discardableResult
    static func ok(
        _ arguments: [String], _ database: TestDatabase, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> LicTrackBinary.Outcome {
        let outcome = try run(arguments, database, environment: environment)
        try #require(
            outcome.status == 0, "lictrack \(arguments.joined(separator: " ")) failed: \(outcome)",
            sourceLocation: sourceLocation)
        return outcome
    }

    static let proxyFree = ["no_proxy": "*", "NO_PROXY": "*", "http_proxy": "", "HTTP_PROXY": ""]

    // MARK: Applications (SQL, with backdated events)

    /// Creates an application and records `events` (event, date) in order; returns its id.
    static func application(
        _ connection: PostgresConnection, authority: String, reference: String? = nil, createdOn: String,
        events: [(String, String)], applicant: String = "Acme Magnets Ltd"
    ) throws -> Int64 {
        let id = try connection.query(
            """
            insert into applications (authority, applicant, destination, authority_reference, owner, created_on)
            values ($1, $2, 'DE', $3, 'export-team', $4::date)
            returning id
            """, [authority, applicant, reference, createdOn]
        )[0].decode(Int64.self, "id")
        for (event, date) in events {
            try connection.execute(
                "insert into application_events (application_id, event, occurred_on) values ($1::bigint, $2, $3::date)",
                [id, event, date])
        }
        return id
    }

    /// A BIS application submitted on `date` (90 calendar days: due soon 5 days before the deadline).
    static func bis(
        _ connection: PostgresConnection, submittedOn date: String, reference: String? = nil
    ) throws -> Int64 {
        try application(connection, authority: "BIS", reference: reference, createdOn: date, events: [("submit", date)])
    }

    /// A MOFCOM application submitted and accepted on `date` (45 working days on the CN calendar).
    static func mofcom(
        _ connection: PostgresConnection, acceptedOn date: String, reference: String? = nil
    ) throws
        -> Int64
    {
        try application(
            connection, authority: "MOFCOM", reference: reference, createdOn: date,
            events: [("submit", date), ("accept", date)])
    }

    /// The stored deadline of an application's first clock.
    static func deadline(_ connection: PostgresConnection, _ id: Int64) throws -> String {
        try connection.query(
            "select deadline::text as d from application_clocks where application_id = $1::bigint order by cycle desc limit 1",
            [id])[0].decode(String.self, "d")
    }

    /// A scalar query's text, or nil.
    static func scalar(
        _ connection: PostgresConnection, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []
    )
        throws -> String?
    {
        try connection.query(sql, parameters).first.flatMap { $0["v"] }
    }

    // MARK: Output

    /// Standard output as a JSON object.
    static func object(_ outcome: LicTrackBinary.Outcome) throws -> [String: Any] {
        try #require(outcome.json() as? [String: Any], "not a JSON object: \(outcome.stdout)")
    }

    /// The JSON lines of a file (or of a text), parsed.
    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not a JSON object: \($0)")
        }
    }

    static func jsonLines(file path: String) throws -> [[String: Any]] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try jsonLines(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    }

    /// How many times each value of `key` occurs.
    static func counts(_ objects: [[String: Any]], _ key: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for object in objects { result["\(object[key] ?? "nil")", default: 0] += 1 }
        return result
    }

    // MARK: Files and scripts

    /// A fresh temporary directory, removed after `body`.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// Writes an executable shell script.
    static func script(_ url: URL, _ text: String) throws {
        try ("#!/bin/sh\n" + text).write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port) for webhook tests.
///
/// Each request is recorded (headers, body); `respond` decides, by the request's index from 0,
/// the status to answer, or nil to hang (hold the connection without answering until the server
/// stops, at most `hangLimit` seconds). Every connection is handled on its own thread and closed
/// after one answer. Call ``stop()`` when done (the accept thread keeps the server alive until then).
final class AlertTestServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false
    private let respond: @Sendable (Int) -> Int?
    private let hangLimit: Double

    var url: String { "http://127.0.0.1:\(port)/hooks/lictrack" }

    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    init(hangLimit: Double = 30, respond: @escaping @Sendable (Int) -> Int?) throws {
        self.respond = respond
        self.hangLimit = hangLimit
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    /// Stops accepting, releases hanging requests and closes the listening socket.
    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped {
            // The accept loop polls, sees the flag within 100 ms and closes the socket itself.
            usleep(200_000)
        }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopped {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let thread = Thread { [self] in self.handle(connection) }
            thread.start()
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data = [UInt8]()
        var headerEnd: Int?
        var buffer = [UInt8](repeating: 0, count: 8192)
        while headerEnd == nil {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            data += buffer[0..<count]
            headerEnd = Self.find([13, 10, 13, 10], in: data)
        }
        guard let headerEnd else { return }
        let head = String(decoding: data[0..<headerEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ").map(String.init)
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(data[(headerEnd + 4)...])
        while body.count < length {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { break }
            body += buffer[0..<count]
        }
        lock.lock()
        let index = received.count
        received.append(
            Request(
                method: requestLine.first ?? "", path: requestLine.count > 1 ? requestLine[1] : "", headers: headers,
                body: String(decoding: body, as: UTF8.self)))
        lock.unlock()

        guard let status = respond(index) else {
            let deadline = Date().addingTimeInterval(hangLimit)
            while !isStopped && Date() < deadline { usleep(50_000) }
            return
        }
        let reply = "HTTP/1.1 \(status) Test\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        _ = reply.withCString { write(connection, $0, strlen($0)) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return start
        }
        return nil
    }
}
