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
/// for a consumer that is gone). Waits are short sleeps on a mutex-protected state (`pollUntil`), as in
/// `OrderBatchSource`.
final class HandOff<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        /// The chunks not taken yet are `chunks[head...]`; a taken chunk's slot is emptied at once, so that the
        /// queue never keeps a chunk alive after the consumer is done with it (a producer that stays ahead
        /// keeps the queue from ever running empty).
        var chunks: [Element?] = []
        var head = 0
        var finished = false
        var closed = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// A queue holding at most `capacity` chunks (≥ 1) before `push` waits.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues `chunk`, waiting while the queue is full. Returns `false` when the consumer has stopped.
    @discardableResult
    func push(_ chunk: Element) -> Bool {
        let outcome: Bool = pollUntil {
            state.withLock { s -> Bool? in
                if s.closed { return false }
                if s.chunks.count - s.head >= capacity { return nil }
                if s.head >= capacity {
                    s.chunks.removeFirst(s.head)
                    s.head = 0
                }
                s.chunks.append(chunk)
                return true
            }
        }
        return outcome
    }

    /// Ends the stream: the consumer's `next()` returns `nil` after the queued chunks.
    func finish() {
        state.withLock { $0.finished = true }
    }

    /// The next chunk, waiting for the producer; `nil` once it finished and every chunk was taken.
    func next() -> Element? {
        pollUntil {
            state.withLock { s -> Element?? in
                if s.head < s.chunks.count {
                    let chunk = s.chunks[s.head].take()!
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

/// Calls `attempt` until it answers, sleeping 50 µs between tries: how the two sides of `HandOff` and
/// `OrderBatchSource` wait for each other (each runs on a thread of its own, so a short sleep holds no task).
func pollUntil<T>(_ attempt: () -> T?) -> T {
    while true {
        if let answer = attempt() { return answer }
        usleep(50)
    }
}
