#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs blocking work (libpq queries, programs waited for with `poll`) on threads of its own.
///
/// The alert job sends each channel on its own thread, so that a slow channel delays no other.
/// That work blocks, so it does not belong on Swift concurrency's cooperative pool (as many
/// threads as cores: two here); and Foundation's `Thread` is not in FoundationEssentials.
enum WorkerThreads {
    /// Runs `work(0)`, `work(1)`, ... `work(count - 1)` on at most `width` threads at once, and
    /// returns when all have finished. Each thread takes the next index as it becomes free.
    static func run(count: Int, width: Int, _ work: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let next = Locked(0)
        let worker: @Sendable () -> Void = {
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < count else { return }
                work(index)
            }
        }
        let threads = (0..<max(1, min(width, count))).compactMap { _ in start(worker) }
        if threads.isEmpty {
            worker()  // No thread could be started: do the work here, one index after another.
        }
        for thread in threads { pthread_join(thread, nil) }
    }

    /// What a new thread runs.
    private final class Body: @unchecked Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts a thread running `body`; nil if the system would not start one.
    private static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let result = pthread_create(
            &thread, nil,
            { context in
                #if canImport(Darwin)
                    Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
                #else
                    Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                #endif
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}

/// A value shared between threads, behind a mutex.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, alone.
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
