import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded queue of chunks from one producer to one consumer on another thread, so that the two overlap on
/// two cores: the store's scan produces orders while the snapshot builder consumes them.
///
/// The producer calls `push` for every chunk, then `finish()`. The consumer calls `next()` until it returns
/// `nil`, and `close()` if it stops early (later pushes return `false` at once, so the producer never waits
/// for a consumer that is gone). Waits are short sleeps on a mutex-protected state, as in `OrderBatchSource`.
final class HandOff<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        var chunks: [Element] = []
        var head = 0
        var finished = false
        var closed = false
    }

    private let state = Mutex(State())
    private let capacity: Int
    private static var pollMicroseconds: UInt32 { 50 }

    /// A queue holding at most `capacity` chunks (≥ 1) before `push` waits.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues `chunk`, waiting while the queue is full. Returns `false` when the consumer has stopped.
    @discardableResult
    func push(_ chunk: Element) -> Bool {
        while true {
            let outcome: Int = state.withLock { s in
                if s.closed { return -1 }
                if s.chunks.count - s.head >= capacity { return 0 }
                if s.head > 0 && s.head == s.chunks.count {
                    s.chunks.removeAll(keepingCapacity: true)
                    s.head = 0
                }
                s.chunks.append(chunk)
                return 1
            }
            if outcome != 0 { return outcome > 0 }
            usleep(Self.pollMicroseconds)
        }
    }

    /// Ends the stream: the consumer's `next()` returns `nil` after the queued chunks.
    func finish() {
        state.withLock { $0.finished = true }
    }

    /// The next chunk, waiting for the producer; `nil` once it finished and every chunk was taken.
    func next() -> Element? {
        while true {
            let outcome: Element?? = state.withLock { s in
                if s.head < s.chunks.count {
                    let chunk = s.chunks[s.head]
                    s.head += 1
                    if s.head == s.chunks.count {
                        s.chunks.removeAll(keepingCapacity: true)
                        s.head = 0
                    }
                    return .some(chunk)
                }
                if s.finished || s.closed { return .some(nil) }
                return nil
            }
            if let outcome { return outcome }
            usleep(Self.pollMicroseconds)
        }
    }

    /// Called by the consumer when it stops reading: queued chunks are dropped and later pushes refused.
    func close() {
        state.withLock { s in
            s.closed = true
            s.chunks.removeAll()
            s.head = 0
        }
    }
}
