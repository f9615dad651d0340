import ClienteleCore

/// Finds the order a line belongs to by its order id, in order of first appearance (dense indices).
///
/// Exports are usually sorted by order id (ascending or descending) with an order's lines adjacent. While that
/// holds, an id equal to the previous line's is the same order and an id beyond the smallest or largest seen so far
/// (ordered by length, then bytes) is new, so no hash table is needed. The first id that breaks the pattern builds
/// a hash table of every id so far, which is used from then on.
struct OrderIndex {
    private var hashed: ByteInterner?
    private var minKey: [UInt8] = []
    private var maxKey: [UInt8] = []
    private var lastKey: [UInt8] = []
    private var lastIndex = -1
    /// How many orders.
    private(set) var count = 0

    init() {
        minKey.reserveCapacity(64)
        maxKey.reserveCapacity(64)
        lastKey.reserveCapacity(64)
    }

    /// Compares by length, then bytes.
    @inline(__always)
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return b.withUnsafeBufferPointer { bb in
            for i in 0..<a.count where a[i] != bb[i] { return a[i] < bb[i] ? -1 : 1 }
            return 0
        }
    }

    @inline(__always)
    private static func set(_ key: inout [UInt8], _ b: UnsafeBufferPointer<UInt8>) {
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: b)
    }

    /// The index of the order with id `b`, and whether it is new (then it gets index `count - 1`).
    /// `orders` are the orders so far, in index order (read only when the hash table is built).
    @inline(__always)
    mutating func lookupOrInsert(_ b: UnsafeBufferPointer<UInt8>, orders: [Order]) -> (index: Int, isNew: Bool) {
        lookupOrInsert(b) { table in
            for order in orders {
                var id = order.id
                _ = id.withUTF8 { table.intern($0) }
            }
        }
    }

    /// The index of the order with id `b`, and whether it is new (then it gets index `count - 1`).
    /// `indexAll` interns the id of every order so far, in index order (called only when the hash table is built).
    @inline(__always)
    mutating func lookupOrInsert(_ b: UnsafeBufferPointer<UInt8>,
                                 indexAll: (inout ByteInterner) -> Void) -> (index: Int, isNew: Bool) {
        if hashed != nil {
            let (id, inserted) = hashed!.lookupOrInsert(b)
            if inserted { count += 1 }
            return (Int(id), inserted)
        }
        if lastIndex >= 0 && OrderIndex.compare(b, lastKey) == 0 { return (lastIndex, false) }
        if count == 0 || OrderIndex.compare(b, maxKey) > 0 {
            OrderIndex.set(&maxKey, b)
            if count == 0 { OrderIndex.set(&minKey, b) }
        } else if OrderIndex.compare(b, minKey) < 0 {
            OrderIndex.set(&minKey, b)
        } else {
            // Out of sequence: index every id so far, then look this one up.
            var table = ByteInterner(capacity: max(1024, count * 2), keepsStrings: false)
            indexAll(&table)
            let (id, inserted) = table.lookupOrInsert(b)
            hashed = table
            if inserted { count += 1 }
            return (Int(id), inserted)
        }
        OrderIndex.set(&lastKey, b)
        lastIndex = count
        count += 1
        return (lastIndex, true)
    }
}
