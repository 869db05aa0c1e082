import Foundation
import Synchronization

/// Where the application reads the time from, so tests can move it.
public protocol LedgerClock: Sendable {
    func now() -> Date
}

/// The real wall clock.
public struct SystemClock: LedgerClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock tests set and advance by hand.
public final class ManualClock: LedgerClock {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }

    public func set(_ date: Date) { current.withLock { $0 = date } }
}

/// The wall clock moved forward by a settable offset: only for the browser tests' hook (`serve --test-hooks`).
public final class OffsetClock: LedgerClock {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public func now() -> Date { Date() + offset.withLock { $0 } }

    public func advance(days: Int) { offset.withLock { $0 += Double(days) * 86_400 } }
}
