/// Group commit for records that must be durable before a request is answered: concurrent
/// submissions wait while one transaction is in flight, then the next transaction takes all
/// of them, so N concurrent requests cost one fsync instead of N.
actor GroupCommit<Item: Sendable> {
    private let write: @Sendable ([Item]) async throws -> Void
    private let maxBatch: Int
    private var pending: [(Item, CheckedContinuation<Result<Void, any Error>, Never>)] = []
    private var writing = false

    init(maxBatch: Int = 1024, write: @escaping @Sendable ([Item]) async throws -> Void) {
        self.write = write
        self.maxBatch = max(1, maxBatch)
    }

    /// Returns once `item` is committed; throws what the write threw.
    func submit(_ item: Item) async throws {
        let result = await withCheckedContinuation { continuation in
            pending.append((item, continuation))
            startIfIdle()
        }
        try result.get()
    }

    private func startIfIdle() {
        guard !writing, !pending.isEmpty else { return }
        writing = true
        let batch = Array(pending.prefix(maxBatch))
        pending.removeFirst(batch.count)
        let write = write
        Task {
            let result: Result<Void, any Error>
            do {
                try await write(batch.map(\.0))
                result = .success(())
            } catch {
                result = .failure(error)
            }
            self.finish(batch.map(\.1), result)
        }
    }

    private func finish(_ waiters: [CheckedContinuation<Result<Void, any Error>, Never>], _ result: Result<Void, any Error>) {
        for waiter in waiters { waiter.resume(returning: result) }
        writing = false
        startIfIdle()
    }
}
