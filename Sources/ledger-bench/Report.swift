import Foundation

/// The benchmark's table: one figure per row, in the unit that suits it.
struct Report: Sendable {
    private var rows: [(String, String)] = []
    private var values: [String: Double] = [:]

    func value(_ name: String) -> Double? { values[name] }

    mutating func append(_ other: Report) {
        rows += other.rows
        values.merge(other.values) { $1 }
    }

    mutating func add(_ name: String, seconds: Double) {
        rows.append((name, seconds >= 1 ? String(format: "%.2f s", seconds) : String(format: "%.2f ms", seconds * 1000)))
    }

    mutating func add(_ name: String, rate: Double) {
        values[name] = rate
        rows.append((name, String(format: "%.0f /s", rate)))
    }

    mutating func add(_ name: String, text: String) {
        rows.append((name, text))
    }

    mutating func add(_ name: String, ratio: Double) {
        rows.append((name, String(format: "%.3f", ratio)))
    }

    func print() {
        let width = rows.map { $0.0.count }.max() ?? 10
        Swift.print("")
        Swift.print("figure".padding(toLength: width, withPad: " ", startingAt: 0) + "  value")
        Swift.print(String(repeating: "-", count: width + 14))
        for (name, value) in rows {
            Swift.print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
    }
}

enum Percentile {
    static func of(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
