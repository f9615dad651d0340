import ClienteleCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded queue of order batches between one producer (an importer reading files) and one consumer (a
/// store's streaming `replaceOrders(streaming:)`), so that reading and writing overlap on two cores.
///
/// The producer calls `push` for every batch and then exactly one of `finish()` (everything was sent) or
/// `fail()` (something went wrong: the store must roll back). The consumer calls `next()` until it returns
/// `nil`; `next()` throws when the producer failed, so the store's transaction rolls back and the store is
/// unchanged. Orders are checked against the store rules (`StoreContent.validate`) as they are pushed, on the
/// producer's thread. Waits are short sleeps on a mutex-protected state (both sides run on threads of their
/// own: the consumer inside a database write, the producer in a task).
public final class OrderBatchSource: Sendable {
    /// Why a producer gave up; what the consumer's `next()` throws after `fail()`.
    public struct ProducerFailed: Error, Sendable, CustomStringConvertible {
        /// Creates the error.
        public init() {}
        /// A sentence for logs.
        public var description: String { "the producer of the order batches failed" }
    }

    private struct State: ~Copyable {
        var batches: [OrderBatch] = []
        var head = 0
        var finished = false
        var failure: (any Error & Sendable)? = nil
        /// The consumer stopped reading (it failed or returned): pushes are dropped.
        var closed = false
        /// The consumer has asked for a batch: from then on `push` waits while the queue is full.
        var started = false
    }

    private let state = Mutex(State())
    /// Batches held at most before `push` waits.
    public let capacity: Int

    /// An empty source holding at most `capacity` batches (≥ 1) before `push` waits for the consumer.
    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// Queues `batch`, waiting while `capacity` batches are queued and the consumer is reading (until the
    /// consumer's first `next()` nothing waits, so a consumer that has not started yet can never hold the
    /// producer up: it finds everything queued). Returns `false` when the batch was not
    /// queued: the consumer has stopped, the source already ended, or an order breaks a store rule (then the
    /// source fails with that `StoreError`, which the consumer throws). The producer should stop sending then.
    @discardableResult
    public func push(_ orders: [Order]) -> Bool {
        if orders.isEmpty { return true }
        do {
            return push(try OrderBatch(orders))
        } catch {
            fail(error)
            return false
        }
    }

    /// Queues a packed batch (its orders were checked when they were appended); see `push(_:)` for orders.
    @discardableResult
    public func push(_ batch: OrderBatch) -> Bool {
        if batch.isEmpty { return true }
        return pollUntil {
            state.withLock { s -> Bool? in
                if s.closed || s.finished || s.failure != nil { return false }
                if s.started && s.batches.count - s.head >= capacity { return nil }
                // Taken batches leave an empty placeholder: drop them once there are as many as the queue
                // holds, or the array would grow for as long as the producer stays ahead.
                if s.head > 0 && (s.head == s.batches.count || s.head >= capacity) {
                    s.batches.removeFirst(s.head)
                    s.head = 0
                }
                s.batches.append(batch)
                return true
            }
        }
    }

    /// Ends the stream: every batch was sent. The consumer commits after the queued batches.
    public func finish() {
        state.withLock { s in
            if s.failure == nil { s.finished = true }
        }
    }

    /// Ends the stream in failure: the consumer's `next()` throws `ProducerFailed` and its write rolls back.
    public func fail() {
        fail(ProducerFailed())
    }

    /// Ends the stream in failure with `error`, which the consumer's `next()` throws (the first failure wins).
    public func fail(_ error: any Error & Sendable) {
        state.withLock { s in
            if s.failure == nil && !s.finished { s.failure = error }
        }
    }

    /// The next batch, waiting for the producer; `nil` once the producer finished and every batch was taken.
    /// Throws the producer's failure (queued batches are dropped).
    public func next() throws -> OrderBatch? {
        try pollUntil {
            state.withLock { s -> Result<OrderBatch?, any Error & Sendable>? in
                s.started = true
                if let failure = s.failure { return .failure(failure) }
                if s.head < s.batches.count {
                    let batch = s.batches[s.head]
                    s.batches[s.head] = OrderBatch()
                    s.head += 1
                    return .success(batch)
                }
                if s.finished { return .success(nil) }
                return nil
            }
        }.get()
    }

    /// Called by the consumer when it stops reading (done or failed): later pushes return `false` at once,
    /// so a producer never waits for a consumer that is gone.
    public func close() {
        state.withLock { s in
            s.closed = true
            s.batches.removeAll()
            s.head = 0
        }
    }

    /// Whether the consumer has stopped reading.
    public var isClosed: Bool { state.withLock { $0.closed } }
}

extension OrderStore {
    /// The streaming write for stores without one of their own: collects every batch (a later order with
    /// the same id replaces an earlier one), then makes one `replaceOrders` call. Nothing is written when
    /// the producer fails.
    public func replaceOrders(streaming source: OrderBatchSource) async throws -> ReplaceSummary {
        defer { source.close() }
        let orders = try OrderBatchSource.collect(source)
        return try await replaceOrders(orders)
    }
}

extension OrderBatchSource {
    /// Every order of every remaining batch, a later order replacing an earlier one with the same id (bytes)
    /// in its place. Throws the producer's failure.
    public static func collect(_ source: OrderBatchSource) throws -> [Order] {
        var orders: [Order] = []
        var index: [ByteString: Int] = [:]
        while let batch = try source.next() {
            for order in batch.orders {
                let key = ByteString(order.id)
                if let i = index[key] {
                    orders[i] = order
                } else {
                    index[key] = orders.count
                    orders.append(order)
                }
            }
        }
        return orders
    }
}
