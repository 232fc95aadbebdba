import LicTrackReports
import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a report goes: standard output, or a file that appears complete or not at all.
///
/// A file is written to a temporary file in the same folder (`.NAME.XXXXXX`), flushed to disk,
/// and renamed over `NAME` only when the report has been written in full; on any failure the
/// temporary file is removed and `NAME` is left as it was. The temporary file is created before
/// the database is asked anything, so an unwritable `--output` fails first (exit 73). Writes are
/// buffered in 64 KiB blocks either way.
final class ReportDestination: ReportSink {
    private let descriptor: Int32
    /// The final path and the temporary one, for a file.
    private let file: (path: String, temporary: String)?
    private var buffer: [UInt8] = []
    private var closed = false

    /// Standard output.
    static func standardOutput() -> ReportDestination {
        ReportDestination(descriptor: 1, file: nil)
    }

    /// A new temporary file beside `path`, to become `path` at ``commit()``.
    static func file(_ path: String) throws -> ReportDestination {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty, name != ".", name != ".." else {
            throw LicTrackError(
                .usage, "--output: \(LicTrackError.quoted(path)) names a folder", hint: "expected a file name")
        }
        var template = Array((folder + "." + name + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure("cannot create", path) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        return ReportDestination(descriptor: descriptor, file: (path, temporary))
    }

    private init(descriptor: Int32, file: (path: String, temporary: String)?) {
        self.descriptor = descriptor
        self.file = file
        buffer.reserveCapacity(1 << 16)
    }

    /// Whether the report goes to a terminal (so the table format may use colour).
    var isTerminal: Bool { file == nil && isatty(descriptor) == 1 }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered; for a file, syncs it and renames it into place.
    func commit() throws {
        try flush()
        guard let file, !closed else { return }
        closed = true
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let error = Self.failure("cannot write", file.path)
            unlink(file.temporary)
            throw error
        }
        if rename(file.temporary, file.path) != 0 {
            let error = Self.failure("cannot create", file.path)
            unlink(file.temporary)
            throw error
        }
    }

    /// Abandons a file: the temporary file is removed and the destination left untouched.
    func discard() {
        buffer.removeAll()
        guard let file, !closed else { return }
        closed = true
        close(descriptor)
        unlink(file.temporary)
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { bytes in
                systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure("cannot write", file?.path ?? "standard output")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The error for a failed file operation, with the system's reason.
    private static func failure(_ what: String, _ path: String) -> LicTrackError {
        let reason = String(cString: strerror(errno))
        let shown = path == "standard output" ? path : LicTrackError.quoted(path, limit: 200)
        return LicTrackError(.cannotCreate, "--output: \(what) \(shown): \(reason)")
    }
}

/// POSIX `write(2)`, named apart from ``ReportDestination/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
