import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The PostgreSQL server programs (`initdb`, `pg_ctl`, `pg_basebackup`), run the way
/// `Scripts/lib/postgres.sh` runs them.
enum ServerProgram {
    /// Whether the programs run as the `postgres` user: when the tests run as root.
    static var runsAsServerUser: Bool { getuid() == 0 }

    /// The directory of the server programs, as `find_bindir` in `Scripts/lib/postgres.sh` finds it.
    static let binDirectory: Result<String, ClusterError> = {
        let manager = FileManager.default
        let root = "/usr/lib/postgresql"
        let majors = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for major in majors.reversed() {
            let bin = "\(root)/\(major)/bin"
            if manager.isExecutableFile(atPath: bin + "/initdb") && manager.isExecutableFile(atPath: bin + "/pg_ctl") {
                return .success(bin)
            }
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where manager.isExecutableFile(atPath: "\(directory)/initdb") {
            return .success(String(directory))
        }
        return .failure(ClusterError("PostgreSQL server programs (initdb, pg_ctl) not found; install 'postgresql'"))
    }()

    /// Runs `program` with `arguments`, its output appended to `log`; throws unless it exits 0.
    static func run(_ program: String, _ arguments: [String], log: String) throws {
        let status = try status(program, arguments, log: log)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(15).joined(separator: "\n")
            throw ClusterError("\(program) \(arguments.joined(separator: " ")) exited \(status):\n\(tail)")
        }
    }

    /// Runs `program` with `arguments`, its output appended to `log`; returns its exit status.
    ///
    /// It uses `posix_spawn` and `waitpid` rather than `Process`, whose wait can miss the exit of
    /// a program that leaves a daemon behind (`pg_ctl start`). Output goes to a file, not a pipe,
    /// which the server would hold open; the working directory is `/`, which the server's user
    /// can read.
    static func status(_ program: String, _ arguments: [String], log: String) throws -> Int32 {
        let executable = try binDirectory.get() + "/" + program
        let command = runsAsServerUser ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] : [executable]
        let argv = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\""] + command + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw ClusterError("cannot run \(program): posix_spawn error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw ClusterError("waitpid for \(program) failed: errno \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
