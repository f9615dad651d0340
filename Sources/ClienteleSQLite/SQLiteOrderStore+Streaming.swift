import ClienteleCore
import ClienteleStore
internal import GRDB

extension SQLiteOrderStore {
    /// Writes the batches of `source` as they arrive, in one immediate write transaction on the writer
    /// connection's own thread (so that the producer keeps its thread): committed after the producer's
    /// `finish()`, rolled back when it fails or a batch cannot be written. Into a shop with no orders it
    /// only inserts (an id sent again replaces the earlier order); otherwise each id is compared with the
    /// stored order once, as `replaceOrders` does. See `OrderStore.replaceOrders(streaming:)`.
    public func replaceOrders(streaming source: OrderBatchSource) async throws -> ReplaceSummary {
        let shopId = self.shopId
        do {
            return try await pool.writeWithoutTransaction { db in
                try BulkWriter.replace(streaming: source, in: db, shopId: shopId)
            }
        } catch let error as OrderBatchSource.ProducerFailed {
            throw error
        } catch {
            source.close()
            throw SQLiteOrderStore.storeError(error, path: path)
        }
    }
}
