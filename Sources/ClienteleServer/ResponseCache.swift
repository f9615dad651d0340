import ClienteleCore
import Hummingbird
import NIOCore
import Synchronization

/// The answers of GET requests, kept per shop, data version and parameters: a page or a JSON/CSV/.xlsx answer
/// is computed once per (store revision, today's date, path and query) and sent from memory after that.
///
/// - An import (or a settings change: anything that changes the store's revision) empties the cache: the first
///   request with the new revision drops every entry of the old one.
/// - Only successful (200) answers are kept; errors are computed every time.
/// - Saved audiences change no revision, so answers about audiences are also keyed by the saved audiences
///   themselves (a digest of every name, filter and change time, read from the store with each request: a
///   few rows, and correct when another process saves one). The Import page is never cached.
/// - Concurrent requests for the same answer compute it once: the others wait for the first (no stampede of
///   64 connections recomputing one page after an import).
/// - Bounded: at most `limitBytes` of bodies (64 MiB by default), the oldest entries dropped first; a body
///   over a quarter of the limit is never kept.
public actor ResponseCache {
    /// One kept answer.
    struct Entry: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
    }

    /// The most bytes of bodies kept.
    public nonisolated let limitBytes: Int
    private var revision = ""
    private var entries: [String: Entry] = [:]
    /// Keys in insertion order (oldest first), for eviction; `head` is the first live position.
    private var order: [String] = []
    private var head = 0
    private var bytes = 0
    /// Keys being computed, with the requests waiting for them.
    private var pending: [String: [CheckedContinuation<Entry?, Never>]] = [:]
    /// Answers sent from the cache, computed, and entries dropped to stay within the limit.
    public private(set) var hits = 0, misses = 0, evictions = 0

    /// A cache of at most `limitBytes` of bodies.
    public init(limitBytes: Int = 64 * 1024 * 1024) { self.limitBytes = limitBytes }

    /// The bytes of bodies kept now.
    public var storedBytes: Int { bytes }
    /// The number of answers kept now.
    public var count: Int { entries.count }

    /// Whether answers to `path` may be kept.
    static func isCacheable(path: String) -> Bool {
        !(path.hasPrefix("/import") || path.hasPrefix("/api/v1/import"))
    }

    /// Whether answers to `path` depend on the saved audiences.
    static func dependsOnAudiences(path: String) -> Bool { path.contains("/audiences") }

    /// The kept answer for `key` under `revision`, waiting when another request is computing it. Nil means
    /// the caller computes it and then calls `fill` (or `abandon`).
    func lookup(_ key: String, revision: String) async -> Entry? {
        if revision != self.revision { reset(to: revision) }
        if let entry = entries[key] {
            hits += 1
            return entry
        }
        if pending[key] != nil {
            let entry = await withCheckedContinuation { pending[key]!.append($0) }
            if let entry { hits += 1 }
            return entry
        }
        pending[key] = []
        misses += 1
        return nil
    }

    /// Keeps `entry` as the answer for `key` under `revision` (when still current and within the limit) and
    /// hands it to the requests waiting for it.
    func fill(_ key: String, revision: String, entry: Entry) {
        let waiters = pending.removeValue(forKey: key) ?? []
        for waiter in waiters { waiter.resume(returning: entry) }
        guard revision == self.revision, entry.body.readableBytes <= limitBytes / 4, entries[key] == nil else { return }
        entries[key] = entry
        order.append(key)
        bytes += entry.body.readableBytes
        while bytes > limitBytes, head < order.count {
            let oldest = order[head]
            head += 1
            if let dropped = entries.removeValue(forKey: oldest) {
                bytes -= dropped.body.readableBytes
                evictions += 1
            }
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Gives up computing `key` (an error, or an answer not to keep): the waiting requests compute their own.
    func abandon(_ key: String) {
        for waiter in pending.removeValue(forKey: key) ?? [] { waiter.resume(returning: nil) }
    }

    /// Drops every entry (a new revision).
    private func reset(to revision: String) {
        self.revision = revision
        entries.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        head = 0
        bytes = 0
    }
}

/// The middleware that answers GET requests from the shop's `ResponseCache`.
struct ResponseCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The shop served.
    let service: ShopService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, ResponseCache.isCacheable(path: request.uri.path),
              let state = try? await service.current() else {
            return try await next(request, context)
        }
        let cache = service.responses
        var key = "\(service.today(state.calendar))|\(request.uri.description)"
        if ResponseCache.dependsOnAudiences(path: request.uri.path) {
            guard let audiences = try? await service.store.listAudiences() else { return try await next(request, context) }
            let listed = audiences.map { "\($0.name)\u{0}\($0.filter)\u{0}\($0.updatedAt.seconds)\u{0}\($0.builtIn)" }
            key += "|" + Credentials.sha256Hex(listed.joined(separator: "\u{1}"))
        }
        if let entry = await cache.lookup(key, revision: state.revision) {
            return Response(status: entry.status, headers: entry.headers, body: .init(byteBuffer: entry.body))
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            await cache.abandon(key)
            throw error
        }
        guard response.status == .ok else {
            await cache.abandon(key)
            return response
        }
        var collected = response
        let buffer: ByteBuffer
        do {
            buffer = try await collected.collectBody()
        } catch {
            await cache.abandon(key)
            throw error
        }
        await cache.fill(key, revision: state.revision, entry: ResponseCache.Entry(status: collected.status, headers: collected.headers, body: buffer))
        return collected
    }
}

extension Response {
    /// The whole body, read into one buffer; the response keeps it as its body, so it can still be sent.
    mutating func collectBody() async throws -> ByteBuffer {
        let collector = ByteBufferCollector()
        try await body.write(collector)
        body = .init(byteBuffer: collector.buffer)
        return collector.buffer
    }

    /// Replaces the body (its length changes, so a stated `Content-Length` is dropped).
    mutating func replaceBody(_ buffer: ByteBuffer) {
        headers[.contentLength] = nil
        body = .init(byteBuffer: buffer)
    }
}

/// A response body writer that keeps what is written in one buffer.
final class ByteBufferCollector: ResponseBodyWriter, Sendable {
    private let storage = Mutex(ByteBuffer())

    /// Everything written so far.
    var buffer: ByteBuffer { storage.withLock { $0 } }

    func write(_ buffer: ByteBuffer) async throws {
        storage.withLock { stored in
            var incoming = buffer
            stored.writeBuffer(&incoming)
        }
    }

    func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
        for buffer in buffers { try await write(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
