import SQLKit
import Synchronization

extension SQLDatabase {
    /// Runs a query and folds its rows into `initial` one at a time as the driver hands them over, so that a large
    /// result is never held whole (`.all()` keeps every row, with its column names and values, until the last one
    /// arrives). The first error `body` throws ends the fold and is rethrown after the query.
    func fold<State: Sendable>(_ query: SQLQueryString, into initial: State,
                               _ body: @escaping @Sendable (inout State, any SQLRow) throws -> Void) async throws -> State {
        let box = FoldBox(initial)
        try await raw(query).run { row in box.apply(row, body) }
        return try box.result()
    }
}

/// The state of a fold and the first error met, behind a lock: the driver calls back on its own thread.
private final class FoldBox<State: Sendable>: Sendable {
    private let state: Mutex<(State, (any Error)?)>

    init(_ initial: State) { state = Mutex((initial, nil)) }

    func apply(_ row: any SQLRow, _ body: (inout State, any SQLRow) throws -> Void) {
        state.withLock { held in
            guard held.1 == nil else { return }
            do { try body(&held.0, row) } catch { held.1 = error }
        }
    }

    func result() throws -> State {
        try state.withLock { held in
            if let error = held.1 { throw error }
            return held.0
        }
    }
}
