import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opening a connection so that a refusal keeps the server's SQLSTATE.
///
/// libpq reports a failed connection only as text, and by default that text has no SQLSTATE. So
/// the connection is started with `PQconnectStartParams`, set to verbose errors (which put the
/// SQLSTATE after the severity: `FATAL:  28P01: password authentication failed ...`) and driven
/// to completion with `PQconnectPoll`. The SQLSTATE is then taken out of the text again, so the
/// message reads as libpq's usual one.
extension PostgresConnection {
    /// Why a connection attempt failed.
    struct ConnectFailure: Error {
        /// libpq's message, without the SQLSTATEs and `LOCATION:` lines that verbose errors add.
        var message: String
        /// The SQLSTATE of the server's last refusal, if a server answered.
        var sqlState: String?
        /// Whether the server asked for a password and none was given (`PQconnectionNeedsPassword`).
        var needsPassword: Bool
        /// The password libpq tried, to scrub from the message.
        var password: String?
    }

    /// Connects with `parameters` (the `dbname` value expanded as a connection string) and waits
    /// until the connection is established or has failed.
    ///
    /// `connect_timeout` (from the parameters or `PGCONNECT_TIMEOUT`, at least 2 seconds as in
    /// libpq) bounds the wait for each host, as libpq's blocking connect does, and when it expires
    /// the next host of a multi-host connection string is tried. (libpq would also try the same
    /// host's other addresses first.)
    static func open(_ parameters: [(String, String)]) -> Result<OpaquePointer, ConnectFailure> {
        var parameters = parameters
        var earlier = ""
        while true {
            switch Self.attempt(parameters) {
            case .connected(let handle):
                return .success(handle)
            case .failed(var failure):
                failure.message = earlier + failure.message
                return .failure(failure)
            case .timedOut(let message, let password, let nextHosts):
                earlier += message + "\n"
                guard let nextHosts else {
                    return .failure(
                        ConnectFailure(message: earlier.trimmingWhitespace(), needsPassword: false, password: password))
                }
                // Later parameters override what the expanded connection string sets.
                parameters += nextHosts
            }
        }
    }

    /// How one run of libpq's connection state machine ended.
    private enum Attempt {
        case connected(OpaquePointer)
        case failed(ConnectFailure)
        /// `connect_timeout` expired; `nextHosts` are the parameters that name the hosts not yet
        /// tried, or `nil` if there are none.
        case timedOut(message: String, password: String?, nextHosts: [(String, String)]?)
    }

    /// Runs libpq's connection state machine once, with verbose errors.
    private static func attempt(_ parameters: [(String, String)]) -> Attempt {
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectStartParams(keywordPointers, valuePointers, 1) else {
            return .failed(ConnectFailure(message: "libpq could not allocate a connection", needsPassword: false))
        }
        PQsetErrorVerbosity(handle, PQERRORS_VERBOSE)
        let started = PQstatus(handle) != CONNECTION_BAD
        let timeoutSeconds = started ? Self.connectTimeout(handle) : 0
        var deadline: Double?
        var address = ""
        var host = ""
        var hostIndex = -1
        var state = started ? PGRES_POLLING_WRITING : PGRES_POLLING_FAILED
        while state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED {
            let (currentHost, currentAddress) = Self.currentTarget(handle)
            if currentHost != host {
                host = currentHost
                hostIndex += 1
            }
            if timeoutSeconds > 0 && currentAddress != address {
                address = currentAddress
                deadline = Self.now() + Double(timeoutSeconds)
            }
            guard Self.waitForSocket(handle, reading: state == PGRES_POLLING_READING, until: deadline) else {
                let failure = Self.failure(handle)
                var message = Self.errorMessage(handle) == nil ? "" : failure.message
                if !message.hasSuffix(" failed:") {
                    // libpq names the server once it has an address; before that, name it here.
                    let name = PQhost(handle).map { String(cString: $0) } ?? ""
                    let port = PQport(handle).map { String(cString: $0) } ?? ""
                    message +=
                        (message.isEmpty ? "" : "\n") + "connection to server at \"\(name)\", port \(port) failed:"
                }
                let nextHosts = Self.hostsAfter(hostIndex, handle)
                PQfinish(handle)
                return .timedOut(
                    message: message + " timeout expired", password: failure.password, nextHosts: nextHosts)
            }
            state = PQconnectPoll(handle)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let failure = Self.failure(handle)
            PQfinish(handle)
            return .failed(failure)
        }
        PQsetErrorVerbosity(handle, PQERRORS_DEFAULT)
        return .connected(handle)
    }

    /// Describes why `handle` failed to connect.
    private static func failure(_ handle: OpaquePointer) -> ConnectFailure {
        let (message, sqlState) = Self.stripVerboseFields(Self.errorMessage(handle) ?? "")
        return ConnectFailure(
            message: message.isEmpty ? "could not connect to the server" : message, sqlState: sqlState,
            needsPassword: PQconnectionNeedsPassword(handle) == 1,
            password: PQpass(handle).map { String(cString: $0) })
    }

    /// Removes what verbose errors add to libpq's message (the SQLSTATE after each severity, as in
    /// `FATAL:  28P01: password ...`, and the `LOCATION:` lines); returns the message as libpq's
    /// default verbosity words it, and the last SQLSTATE found.
    static func stripVerboseFields(_ text: String) -> (message: String, sqlState: String?) {
        var sqlState: String?
        var lines: [String] = []
        let isCodeCharacter: (Character) -> Bool = { ("0"..."9").contains($0) || ("A"..."Z").contains($0) }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false)
        where !line.hasPrefix("LOCATION:  ") {
            let characters = Array(line)
            var kept = ""
            var index = 0
            while index < characters.count {
                // ":  " + five code characters + ": " is a severity followed by its SQLSTATE.
                if characters[index...].starts(with: [":", " ", " "]), index + 10 <= characters.count,
                    characters[(index + 3)..<(index + 8)].allSatisfy(isCodeCharacter),
                    characters[(index + 8)..<(index + 10)].elementsEqual([":", " "])
                {
                    sqlState = String(characters[(index + 3)..<(index + 8)])
                    kept += ":  "
                    index += 10
                } else {
                    kept.append(characters[index])
                    index += 1
                }
            }
            lines.append(kept)
        }
        return (lines.joined(separator: "\n").trimmingWhitespace(), sqlState)
    }

    /// The connection options in effect for `handle` (`PQconninfo`), those that have a value.
    private static func options(_ handle: OpaquePointer) -> [String: String] {
        guard let options = PQconninfo(handle) else { return [:] }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var index = 0
        while let keyword = options[index].keyword {
            if let value = options[index].val { result[String(cString: keyword)] = String(cString: value) }
            index += 1
        }
        return result
    }

    /// The `connect_timeout` in effect for `handle`, in seconds (0: none); 1 counts as 2, as in libpq.
    private static func connectTimeout(_ handle: OpaquePointer) -> Int {
        let seconds = Int(Self.options(handle)["connect_timeout"]?.trimmingWhitespace() ?? "") ?? 0
        return seconds <= 0 ? 0 : max(seconds, 2)
    }

    /// The parameters that leave only the hosts after the `index`th of `handle`'s host list (with
    /// their `hostaddr` and `port` entries), or `nil` if it was the last.
    private static func hostsAfter(_ index: Int, _ handle: OpaquePointer) -> [(String, String)]? {
        let options = Self.options(handle)
        func list(_ keyword: String) -> [Substring] {
            guard let value = options[keyword], !value.isEmpty else { return [] }
            return value.split(separator: ",", omittingEmptySubsequences: false)
        }
        let hosts = list("host")
        let addresses = list("hostaddr")
        let ports = list("port")
        let count = max(hosts.count, addresses.count)
        guard index >= 0, index + 1 < count else { return nil }
        var parameters: [(String, String)] = []
        for (keyword, values) in [("host", hosts), ("hostaddr", addresses), ("port", ports)] where values.count == count
        {
            parameters.append((keyword, values[(index + 1)...].joined(separator: ",")))
        }
        return parameters
    }

    /// The host and port libpq is trying now, and the same with the address; a new address
    /// restarts the timeout, as in libpq.
    private static func currentTarget(_ handle: OpaquePointer) -> (host: String, address: String) {
        let parts = [PQhost(handle), PQport(handle), PQhostaddr(handle)].map { $0.map { String(cString: $0) } ?? "" }
        return (parts[0] + " " + parts[1], parts.joined(separator: " "))
    }

    /// Seconds on a monotonic clock.
    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }

    /// Waits until the connection's socket is ready to read (or write); false if `deadline` passed first.
    private static func waitForSocket(_ handle: OpaquePointer, reading: Bool, until deadline: Double?) -> Bool {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return true }  // PQconnectPoll reports the problem
        var descriptor = pollfd(fd: socket, events: Int16(reading ? POLLIN : POLLOUT), revents: 0)
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline - Self.now()
                guard remaining > 0 else { return false }
                milliseconds = Int32(min(remaining * 1000 + 1, Double(Int32.max)))
            }
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready == 0 { continue }  // the deadline check above ends the wait
            if errno != EINTR { return true }  // PQconnectPoll reports the problem
        }
    }
}
