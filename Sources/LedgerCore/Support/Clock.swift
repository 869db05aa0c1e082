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

    /// The furthest the clock may be moved forward in all, so that dates stay within what the calendar code handles.
    public static let maxOffsetDays = 1_100

    /// Moves the clock forward; refuses (returns false) a move that would take it past `maxOffsetDays` in all.
    @discardableResult
    public func advance(days: Int) -> Bool {
        offset.withLock { offset in
            let next = offset + Double(days) * 86_400
            guard days > 0, next <= Double(Self.maxOffsetDays) * 86_400 else { return false }
            offset = next
            return true
        }
    }
}
