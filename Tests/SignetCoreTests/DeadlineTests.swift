import SignetCore
import Synchronization
import Testing

@Suite("withDeadline answers at the deadline, whatever the body does")
struct DeadlineTests {
    struct Late: Error {}

    final class Flag: Sendable {
        let value = Mutex(false)
    }

    @Test("a body that ignores cancellation is answered at the deadline, before it ends")
    func ignoresCancellation() async throws {
        let ended = Flag()
        await #expect(throws: Late.self) {
            try await withDeadline(.milliseconds(100), timeout: Late()) {
                // Ends after 3 s whatever happens: a detached task is not cancelled with it.
                await Task.detached { try? await Task.sleep(for: .seconds(3)) }.value
                ended.value.withLock { $0 = true }
                return 1
            }
        }
        #expect(ended.value.withLock { !$0 }, "the answer waited for the body")
    }

    @Test("a body that ends first is answered with its result or its error")
    func endsFirst() async throws {
        #expect(try await withDeadline(.seconds(5), timeout: Late()) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await withDeadline(.seconds(5), timeout: Late()) { throw Refused() } }
    }
}
