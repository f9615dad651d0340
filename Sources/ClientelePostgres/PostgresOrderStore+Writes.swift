import ClienteleCore
import ClienteleStore
import PostgresNIO

extension PostgresOrderStore {
    /// Inserts or replaces `orders` in one transaction (see `OrderStore.replaceOrders`): every order is checked
    /// first, an id given twice is refused, then the orders are copied in and merged (`PostgresBulkWriter`).
    public func replaceOrders(_ orders: [Order]) async throws -> ReplaceSummary {
        var seen = Set<ByteString>(minimumCapacity: orders.count)
        for order in orders {
            try StoreContent.validate(order)
            guard seen.insert(ByteString(order.id)).inserted else { throw StoreContent.duplicateError(order.id) }
        }
        if orders.isEmpty { return ReplaceSummary() }
        let batch = try OrderBatch(orders)
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                    var writer = PostgresBulkWriter(connection: connection, shopId: shopId, logger: self.logger)
                    try await writer.begin()
                    try await writer.stage(batch)
                    return try await writer.finish()
                }
            }
        }
    }

    /// Writes the batches of `source` as they arrive, in one transaction: committed after the producer's
    /// `finish()`, rolled back when it fails or a batch cannot be written (see `OrderStore.replaceOrders(streaming:)`).
    ///
    /// The source's `next()` waits by blocking its thread, so the write runs on a thread of its own (an event
    /// loop made for this write, preferred as the task's executor): the threads of Swift's shared pool stay free
    /// for the producer and for everything else, which may be waiting on this write.
    public func replaceOrders(streaming source: OrderBatchSource) async throws -> ReplaceSummary {
        defer { source.close() }
        let shopId: Int64
        do {
            shopId = try await self.shopId()
        } catch {
            source.close()
            throw error
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(eventLoop: group.next())
        let outcome: Result<ReplaceSummary, any Error>
        do {
            let summary = try await withTaskExecutorPreference(executor) {
                try await self.run {
                    try await self.pool.withConnection { connection in
                        try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                            var writer = PostgresBulkWriter(connection: connection, shopId: shopId, logger: self.logger)
                            try await writer.begin()
                            while let batch = try source.next() {
                                try await writer.stage(batch)
                            }
                            return try await writer.finish()
                        }
                    }
                }
            }
            outcome = .success(summary)
        } catch {
            source.close()
            outcome = .failure(error)
        }
        try? await group.shutdownGracefully()
        return try outcome.get()
    }
}

/// A task executor that runs jobs on one NIO event loop (made for one write and used by nothing else), so that a
/// task may block that thread without holding up Swift's shared pool.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
