import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file `app import` reads, in 64 KiB chunks, so that a file of any size needs little memory.
final class ImportInput {
    private let descriptor: Int32
    /// The file's size in bytes, for the progress bar; `nil` for standard input or a pipe.
    let size: Int?
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Opens `path` (`-`: standard input); an unreadable file is a usage error (exit 64).
    init(path: String) throws {
        if path == "-" {
            descriptor = 0
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw LicTrackError(
                    .usage, "cannot read \(LicTrackError.quoted(path)): \(reason)", hint: "check the path")
            }
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            size = Int(status.st_size)
        } else {
            size = nil
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw LicTrackError(
                .usage, "cannot read \(LicTrackError.quoted(path)): it is a folder", hint: "check the path")
        }
    }

    /// The next chunk, or `nil` at the end of the file.
    func read() throws -> [UInt8]? {
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { return nil }
            if errno == EINTR { continue }
            throw LicTrackError(.usage, "cannot read the file: \(String(cString: strerror(errno)))")
        }
    }

    func close() {
        if descriptor > 0 { systemClose(descriptor) }
    }
}

/// read(2), under a name the method `read()` does not shadow.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// close(2), under a name the method `close()` does not shadow.
private func systemClose(_ descriptor: Int32) {
    _ = close(descriptor)
}
