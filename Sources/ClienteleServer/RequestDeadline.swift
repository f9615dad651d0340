import Hummingbird

/// The time limit on answering one request (docs/reliability.md, "Resource limits").
///
/// The core's reports are synchronous and cannot be interrupted half-way, so the limit is kept by racing the
/// handler's work (in a task of its own) against a timer: when the timer wins, the client gets a 503 at once
/// with a sentence saying so, and the work's result, when it comes, is dropped. A handler therefore never
/// holds a connection longer than the limit, whatever the request asks for.
public enum RequestDeadline {
    /// The default limit: 30 seconds (a full report set on 10⁷ orders takes well under 3 s).
    public static let defaultSeconds: Double = 30

    /// The sentence a request that ran out of time gets (status 503).
    public static func message(seconds: Double) -> String {
        let shown = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        return "The answer took longer than \(shown) s and was abandoned. Try a shorter period or fewer rows (top), or try again when the server is less busy."
    }

    /// `work`'s result, or a 503 `APIError` when it takes longer than `seconds`.
    public static func run<T: Sendable>(seconds: Double, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        let worker = Task {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            await race.finish(outcome)
        }
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            await race.finish(.failure(APIError(.serviceUnavailable, message(seconds: seconds))))
        }
        let result = await race.result()
        worker.cancel()
        timer.cancel()
        return try result.get()
    }

    /// The first of two outcomes to arrive; later ones are dropped.
    private actor Race<T: Sendable> {
        private var outcome: Result<T, any Error>?
        private var waiter: CheckedContinuation<Result<T, any Error>, Never>?

        func finish(_ result: Result<T, any Error>) {
            guard outcome == nil else { return }
            outcome = result
            waiter?.resume(returning: result)
            waiter = nil
        }

        func result() async -> Result<T, any Error> {
            if let outcome { return outcome }
            return await withCheckedContinuation { waiter = $0 }
        }
    }
}
