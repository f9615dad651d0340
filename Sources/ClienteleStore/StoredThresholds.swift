import ClienteleCore
import Foundation

extension ShopSettings.Thresholds {
    /// The thresholds as every store keeps them: JSON with sorted keys (so the same settings are the same text
    /// in SQLite and PostgreSQL, and in the content checksum).
    public func storedJSON() throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw StoreError(.invalidOrder, "the shop thresholds must be finite numbers", underlying: "\(error)")
        }
    }

    /// Thresholds read back from their stored JSON; a threshold missing from older text takes its default.
    public init(storedJSON text: String) throws(StoreError) {
        do {
            self = try JSONDecoder().decode(ShopSettings.Thresholds.self, from: Data(text.utf8))
        } catch {
            throw StoreError(.corruptData, "the stored shop thresholds cannot be read", underlying: "\(error)")
        }
    }
}
