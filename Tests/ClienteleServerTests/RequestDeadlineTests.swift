import Hummingbird
import Testing
@testable import ClienteleServer

/// The request time limit: work that ends in time gives its value (or its own error); work that does not is
/// answered with a 503 as soon as the limit passes, without waiting for the work.
@Suite struct RequestDeadlineTests {
    @Test func workWithinTheLimitGivesItsValue() async throws {
        let v = try await RequestDeadline.run(seconds: 30) { 6 * 7 }
        #expect(v == 42)
    }

    @Test func worksOwnErrorPassesThrough() async throws {
        await #expect(throws: APIError.self) {
            try await RequestDeadline.run(seconds: 30) { () -> Int in throw APIError.notFound("no such thing") }
        }
        do {
            _ = try await RequestDeadline.run(seconds: 30) { () -> Int in throw APIError.notFound("no such thing") }
        } catch let error as APIError {
            #expect(error.status == .notFound)
            #expect(error.description == "no such thing")
        }
    }

    @Test func slowWorkIsAbandonedWithA503() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            // The work would take 60 s; the limit is 0.2 s.
            _ = try await RequestDeadline.run(seconds: 0.2) { () -> Int in
                try? await Task.sleep(for: .seconds(60))
                return 1
            }
            Issue.record("expected the deadline to pass")
        } catch let error as APIError {
            #expect(error.status == .serviceUnavailable)
            #expect(error.description.hasPrefix("The answer took longer than 0.2 s and was abandoned."))
        }
        // Answered long before the work would have ended (60 s): the handler did not wait for it. (How soon
        // after 0.2 s depends on a free thread in the test run's busy pool, so the bound is loose.)
        #expect(clock.now - start < .seconds(45))
    }

    @Test func theMessageShowsWholeSecondsPlainly() {
        #expect(RequestDeadline.message(seconds: 30).hasPrefix("The answer took longer than 30 s "))
    }
}
