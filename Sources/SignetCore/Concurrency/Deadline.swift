import Synchronization

/// Runs `body` and answers with its result, or with `timeout()`'s error once `duration` has
/// passed, whichever comes first, even when the body ignores cancellation (a query whose
/// server vanished, a computation that never yields): the caller is answered at the deadline
/// and the body is cancelled and left to end on its own. A cancelled caller is answered at
/// once with `CancellationError`.
public func withDeadline<T: Sendable>(
    _ duration: Duration, timeout: @autoclosure @escaping @Sendable () -> any Error, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let answer = OnceContinuation<T>()
    let work = Task {
        do {
            answer.resume(with: .success(try await body()))
        } catch {
            answer.resume(with: .failure(error))
        }
    }
    let timer = Task {
        try? await Task.sleep(for: duration)
        answer.resume(with: .failure(timeout()))
    }
    defer {
        work.cancel()
        timer.cancel()
    }
    return try await withTaskCancellationHandler {
        try await answer.wait()
    } onCancel: {
        answer.resume(with: .failure(CancellationError()))
    }
}

/// A continuation resumed by the first of several racers; later results are dropped.
final class OnceContinuation<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, early: Result<T, any Error>?)>((nil, nil))

    /// Waits for the first result (at once if one came before the wait began).
    func wait() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let early: Result<T, any Error>? = state.withLock { state in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }
    }

    /// Delivers `result` if it is the first.
    func resume(with result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = state.withLock { state in
            guard state.early == nil else { return nil }
            state.early = result
            return state.continuation.take()
        }
        waiting?.resume(with: result)
    }
}
