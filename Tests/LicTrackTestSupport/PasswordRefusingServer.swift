import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `send` flags: no SIGPIPE when the client has hung up.
#if os(Linux)
    private let noSignal = Int32(MSG_NOSIGNAL)
#else
    private let noSignal: Int32 = 0
#endif

/// A stand-in PostgreSQL server on 127.0.0.1 that asks for a password and refuses every one.
///
/// It speaks the real frontend/backend protocol (version 3.0), so libpq goes through its own
/// password exchange and reports the refusal exactly as it would a real server's: the answer
/// is an `ErrorResponse` with severity `FATAL`, SQLSTATE `28P01` and the server's own wording
/// (`password authentication failed for user "..."`), source fields included. The development
/// and test clusters trust local connections, so a real server cannot refuse a password there.
public final class PasswordRefusingServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var passwords: [String] = []
    private var stopped = false
    private let silent: Bool

    /// Starts listening on a free port of 127.0.0.1; a `silent` server never answers at all
    /// (for connection timeouts).
    public init(silent: Bool = false) throws {
        self.silent = silent
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in self.serve() }
    }

    deinit {
        self.stop()
    }

    /// The passwords clients sent, in order.
    public var receivedPasswords: [String] {
        lock.withLock { passwords }
    }

    /// Stops listening; safe to call more than once.
    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard wasRunning else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            self.converse(client)
            close(client)
        }
    }

    /// One client: refuse SSL and GSS encryption, ask for a cleartext password, refuse it.
    private func converse(_ client: Int32) {
        if silent {
            while readBytes(client, 1) != nil {}
            return
        }
        var startup: [UInt8]
        repeat {
            guard let length = readInt32(client), length >= 8, let body = readBytes(client, Int(length) - 4) else {
                return
            }
            startup = body
            let code = startup.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard code == 80_877_103 || code == 80_877_104 else { break }  // SSLRequest, GSSENCRequest
            guard write(client, [UInt8(ascii: "N")]) else { return }
        } while true
        let fields = startup.dropFirst(4).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let user = fields.firstIndex(of: "user").flatMap { $0 + 1 < fields.count ? fields[$0 + 1] : nil } ?? ""

        guard write(client, message("R", int32(3))) else { return }  // AuthenticationCleartextPassword
        guard let type = readBytes(client, 1), type == [UInt8(ascii: "p")], let length = readInt32(client),
            let body = readBytes(client, Int(length) - 4)
        else { return }  // libpq hangs up when it has no password to send
        lock.withLock { passwords.append(String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)) }

        var error: [UInt8] = []
        for (field, value) in [
            ("S", "FATAL"), ("V", "FATAL"), ("C", "28P01"),
            ("M", "password authentication failed for user \"\(user)\""),
            ("F", "auth.c"), ("L", "335"), ("R", "auth_failed"),
        ] {
            error += Array(field.utf8) + Array(value.utf8) + [0]
        }
        _ = write(client, message("E", error + [0]))
    }

    private func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        Array(type.utf8) + int32(UInt32(body.count + 4)) + body
    }

    private func int32(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    private func readInt32(_ socket: Int32) -> UInt32? {
        readBytes(socket, 4).map { $0.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    }

    private func readBytes(_ socket: Int32, _ count: Int) -> [UInt8]? {
        guard count >= 0, count < 1 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { read(socket, $0.baseAddress! + done, count - done) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    private func write(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress! + done, bytes.count - done, noSignal) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            done += sent
        }
        return true
    }
}
