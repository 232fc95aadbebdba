import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends a batch of alerts' JSON payloads, one line each, to a file, and fsyncs it once before
/// the batch is marked done. Creates the file (mode 0640) if it is missing; never truncates it.
///
/// The whole batch is one `write` on a descriptor opened with `O_APPEND`, so batches from several
/// runs at the same time never interleave; and it is delivered, or failed, as a whole.
struct JSONLinesChannel: DeliveryChannel {
    var path: String

    func send(_ deliveries: [PendingDelivery], until deadline: Double) -> [DeliveryResult] {
        let result = append(DeliveryText.lines(deliveries))
        return deliveries.map { _ in result }
    }

    /// Appends `bytes` and fsyncs the file.
    private func append(_ bytes: [UInt8]) -> DeliveryResult {
        guard path.hasPrefix("/") else { return .failed("the jsonl target '\(path)' is not an absolute path") }
        let (fd, created) = openForAppend()
        guard fd >= 0 else {
            return .failed("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        if created {
            _ = fchmod(fd, 0o640)
        }
        if let error = DeliveryText.writeAll(bytes, to: fd) {
            return .failed("cannot write to \(path): \(error)")
        }
        // EINVAL: a FIFO or device (such as /dev/null), which has nothing to sync.
        if fsync(fd) != 0 && errno != EINVAL {
            return .failed("cannot fsync \(path): \(String(cString: strerror(errno)))")
        }
        if created {
            syncDirectory()
        }
        return .delivered
    }

    /// Opens the file for appending, creating it if missing; says whether it was created.
    private func openForAppend() -> (Int32, Bool) {
        for _ in 0..<3 {
            let existing = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            if existing >= 0 || errno != ENOENT { return (existing, false) }
            let created = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_CREAT | O_EXCL, 0o640)
            if created >= 0 || errno != EEXIST { return (created, created >= 0) }
            // Another run created it in between: open that one.
        }
        return (-1, false)
    }

    /// Makes the new file's directory entry durable too.
    private func syncDirectory() {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
