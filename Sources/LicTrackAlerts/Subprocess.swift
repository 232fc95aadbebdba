import LicTrackCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program with `posix_spawn`, feeds it standard input and collects what it prints.
///
/// Foundation's `Process` is not available with FoundationEssentials alone, and this is all the
/// delivery channels need: curl and sendmail, each run by the thread of the channel that sends.
/// (Docs/architecture.md says why this and not swift-subprocess.)
/// Standard input is written while standard output and error are read (one `poll` loop), so a
/// child that prints a lot before reading cannot deadlock with us.
///
/// A run always ends, shortly after its time limit at the latest. The program runs in a process
/// group of its own; past the limit that group gets `SIGTERM`, then `SIGKILL` after
/// ``terminationGrace``, so whatever the program started dies with it. Once the program has
/// exited, its pipes are read for at most ``drainGrace`` more: a descendant that keeps them open
/// cannot keep the run waiting.
struct Subprocess {
    /// How long a program that overran its time limit gets to end after `SIGTERM`.
    static let terminationGrace: Double = 2
    /// How long the pipes are still read once the program has exited.
    static let drainGrace: Double = 1
    /// How often the poll loop looks whether the program has exited.
    static let pollInterval: Double = 0.05

    /// How a run ended.
    struct Outcome: Sendable {
        /// The exit status, or `128 + signal` if a signal ended it.
        var status: Int32
        /// The signal that ended it, if one did.
        var signal: Int32?
        var standardOutput: [UInt8]
        var standardError: [UInt8]
        /// Whether it was killed for running past the time limit.
        var timedOut: Bool
        /// The time limit, in seconds.
        var timeLimit: Double

        var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
        var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }

        /// Exited with status 0.
        var succeeded: Bool { status == 0 && signal == nil && !timedOut }

        /// A one-line account of a failure, such as `exit 7: curl: (7) Failed to connect`.
        var failureSummary: String {
            var text: String
            if timedOut {
                text = "timed out after \(Int(timeLimit.rounded(.up))) s"
            } else if let signal {
                text = "killed by signal \(signal)"
            } else {
                text = "exit \(status)"
            }
            let firstLine =
                standardErrorText.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first(where: {
                    !$0.trimmed.isEmpty
                }).map { $0.trimmed } ?? ""
            if !firstLine.isEmpty { text += ": " + firstLine }
            return text
        }
    }

    /// Why a program could not be started.
    struct StartFailure: Error, CustomStringConvertible {
        var executable: String
        var errorNumber: Int32
        var description: String { "cannot run \(executable): \(String(cString: strerror(errorNumber)))" }
    }

    /// The program: a path with a `/`, or a name looked up in `PATH`.
    var executable: String
    var arguments: [String]

    init(_ executable: String, _ arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// Runs the program to completion with `input` on its standard input.
    ///
    /// - Parameter timeout: Seconds after which the program and its process group are killed
    ///   (`SIGTERM`, then `SIGKILL` after ``terminationGrace``).
    /// - Throws: ``StartFailure`` if it cannot be started (not found, not executable).
    func run(input: [UInt8], timeout: Double) throws -> Outcome {
        Self.ignoreSigpipe()
        let (pid, stdinPipe, stdoutPipe, stderrPipe) = try Self.spawning.withLock { _ in try start() }
        return finish(
            pid: pid, input: input, timeout: timeout, stdin: stdinPipe, stdout: stdoutPipe, stderr: stderrPipe)
    }

    /// Held while pipes are made and a program is started. The alert job runs channels on several
    /// threads: between `pipe` and `fcntl(FD_CLOEXEC)` another thread's program must not start,
    /// or it would inherit this pipe and hold it open for as long as it lives.
    private static let spawning = Locked(())

    /// Makes the three pipes and starts the program; returns its pid and our ends of the pipes.
    private func start() throws -> (
        pid_t, (read: Int32, write: Int32), (read: Int32, write: Int32), (read: Int32, write: Int32)
    ) {
        let stdinPipe = try Self.makePipe()
        let stdoutPipe: (read: Int32, write: Int32)
        let stderrPipe: (read: Int32, write: Int32)
        do {
            stdoutPipe = try Self.makePipe()
        } catch {
            Self.closeAll([stdinPipe.read, stdinPipe.write])
            throw error
        }
        do {
            stderrPipe = try Self.makePipe()
        } catch {
            Self.closeAll([stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write])
            throw error
        }

        let pid: pid_t
        do {
            pid = try spawn(stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            Self.closeAll([
                stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write,
            ])
            throw error
        }
        Self.closeAll([stdinPipe.read, stdoutPipe.write, stderrPipe.write])
        return (pid, stdinPipe, stdoutPipe, stderrPipe)
    }

    /// Feeds the program, reads what it prints, and waits for it (killing it at the time limit).
    private func finish(
        pid: pid_t, input: [UInt8], timeout: Double, stdin stdinPipe: (read: Int32, write: Int32),
        stdout stdoutPipe: (read: Int32, write: Int32), stderr stderrPipe: (read: Int32, write: Int32)
    ) -> Outcome {
        let deadline = Self.monotonicNow() + timeout
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var inputFD: Int32? = stdinPipe.write
        var outputFD: Int32? = stdoutPipe.read
        var errorFD: Int32? = stderrPipe.read
        var written = 0
        for fd in [stdinPipe.write, stdoutPipe.read, stderrPipe.read] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        if input.isEmpty, let fd = inputFD {
            close(fd)
            inputFD = nil
        }

        // The wait status, once the program has exited.
        var exitStatus: Int32?
        var readUntil = deadline
        while inputFD != nil || outputFD != nil || errorFD != nil {
            if exitStatus == nil, let status = Self.reap(pid) {
                // It has exited: what it printed is in the pipes, or will never come.
                exitStatus = status
                readUntil = min(deadline, Self.monotonicNow() + Self.drainGrace)
            }
            let remaining = readUntil - Self.monotonicNow()
            if remaining <= 0 { break }
            var fds: [pollfd] = []
            if let fd = inputFD { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            if let fd = outputFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if let fd = errorFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, Self.pollInterval) * 1000) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inputFD {
                    let count = input.withUnsafeBytes { bytes in
                        write(entry.fd, bytes.baseAddress! + written, bytes.count - written)
                    }
                    if count > 0 {
                        written += count
                    }
                    if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR)
                        || (count <= 0 && entry.revents & Int16(POLLERR | POLLHUP) != 0)
                    {
                        // Done, or the program closed its standard input: it gets no more.
                        close(entry.fd)
                        inputFD = nil
                    }
                } else {
                    var buffer = [UInt8](repeating: 0, count: 16_384)
                    let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                    if count > 0 {
                        if entry.fd == outputFD {
                            output.append(contentsOf: buffer[0..<count])
                        } else {
                            errors.append(contentsOf: buffer[0..<count])
                        }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(entry.fd)
                        if entry.fd == outputFD { outputFD = nil } else { errorFD = nil }
                    }
                }
            }
        }
        Self.closeAll([inputFD, outputFD, errorFD].compactMap { $0 })

        // A program that closed its pipes may still be running: wait for it until the deadline,
        // never past it, then kill it.
        while exitStatus == nil && Self.monotonicNow() < deadline {
            exitStatus = Self.reap(pid)
            if exitStatus == nil { Self.sleep(seconds: 0.01) }
        }
        let timedOut = exitStatus == nil
        let status = exitStatus ?? Self.terminate(pid)

        let termination = status & 0x7f
        if termination == 0 {
            return Outcome(
                status: (status >> 8) & 0xff, signal: nil, standardOutput: output, standardError: errors,
                timedOut: timedOut, timeLimit: timeout)
        }
        return Outcome(
            status: 128 + termination, signal: termination, standardOutput: output, standardError: errors,
            timedOut: timedOut, timeLimit: timeout)
    }

    /// The program's wait status if it has exited (and reaps it), nil while it runs. Never blocks.
    private static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            // Not our child any more (cannot happen unless SIGCHLD is ignored): nothing to wait for.
            return 0
        }
    }

    /// Kills a program that overran its time limit, with its process group, and reaps it: `SIGTERM`,
    /// then `SIGKILL` after ``terminationGrace``. Returns its wait status; gives up waiting (and
    /// reports `SIGKILL`) if it still has not died a few seconds after `SIGKILL`.
    private static func terminate(_ pid: pid_t) -> Int32 {
        // The group's id is the program's pid: not reused while the program is unreaped, nor while
        // anything of its group still lives.
        kill(-pid, SIGTERM)
        var status: Int32?
        let graceEnd = monotonicNow() + terminationGrace
        while status == nil && monotonicNow() < graceEnd {
            status = reap(pid)
            if status == nil { sleep(seconds: 0.01) }
        }
        // The rest of the group (children that ignored SIGTERM or outlived the program) too.
        kill(-pid, SIGKILL)
        let giveUp = monotonicNow() + 5
        while status == nil && monotonicNow() < giveUp {
            status = reap(pid)
            if status == nil { sleep(seconds: 0.01) }
        }
        return status ?? SIGKILL
    }

    /// Starts the child with its standard streams on the given descriptors.
    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
            var attributes: posix_spawnattr_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling (we ignore SIGPIPE) and nothing blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        // A process group of its own, so that a timeout kills whatever it started as well.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        Self.closeInheritedDescriptorsOnExec()

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var argvPointers: [UnsafeMutablePointer<CChar>?] = argv + [nil]

        var pid: pid_t = 0
        let result: Int32
        if executable.contains("/") {
            result = posix_spawn(&pid, executable, &actions, &attributes, &argvPointers, environ)
        } else {
            result = posix_spawnp(&pid, executable, &actions, &attributes, &argvPointers, environ)
        }
        guard result == 0 else {
            throw StartFailure(executable: executable, errorNumber: result)
        }
        return pid
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw StartFailure(executable: "a pipe", errorNumber: errno)
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Marks every descriptor above 2 close-on-exec, so that nothing but the three pipes reaches the
    /// child. Descriptors lictrack inherited from its parent without the flag would otherwise keep
    /// the parent's pipes open for as long as, say, a hanging curl lives after lictrack is killed.
    private static func closeInheritedDescriptorsOnExec() {
        var descriptors: [Int32] = []
        #if os(Linux)
            if let directory = opendir("/proc/self/fd") {
                let own = dirfd(directory)
                while let entry = readdir(directory) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if let fd = Int32(name), fd > 2, fd != own { descriptors.append(fd) }
                }
                closedir(directory)
            }
        #endif
        if descriptors.isEmpty {
            descriptors = Array(3..<256)
        }
        for fd in descriptors {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 {
                _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            }
        }
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds { close(fd) }
    }

    /// Writing to a program that has exited must fail with EPIPE, not kill lictrack.
    private static func ignoreSigpipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }

    /// Sleeps for `seconds`, resuming after signals.
    static func sleep(seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}
