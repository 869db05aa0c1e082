import Foundation

/// The benchmark's table: one figure per row, in the unit that suits it; a figure with a target (issue #16) says
/// whether it is met, and one that is not names the measured reason and what would meet it, under the table.
struct Report: Sendable {
    private var rows: [(String, String)] = []
    private var values: [String: Double] = [:]
    private var verdicts: [String: String] = [:]
    private var unmet: [(String, String)] = []
    private var notes: [(String, String)] = []

    func value(_ name: String) -> Double? { values[name] }

    mutating func append(_ other: Report) {
        rows += other.rows
        values.merge(other.values) { $1 }
        verdicts.merge(other.verdicts) { $1 }
        unmet += other.unmet
        notes += other.notes
    }

    /// A time with its target: met when at most `target` seconds; else `reason` is printed under the table.
    mutating func add(_ name: String, seconds: Double, atMost target: Double, unmetBecause reason: String) {
        add(name, seconds: seconds)
        judge(name, met: seconds <= target, target: target >= 1 ? String(format: "≤ %.0f s", target) : String(format: "≤ %.0f ms", target * 1000), reason)
    }

    /// A ratio with the least it should be.
    mutating func add(_ name: String, ratio: Double, atLeast target: Double, unmetBecause reason: String) {
        add(name, ratio: ratio)
        judge(name, met: ratio >= target, target: "≥ \(target)", reason)
    }

    /// A size in MiB with its target.
    mutating func add(_ name: String, mebibytes: Int, atMost target: Int, unmetBecause reason: String) {
        add(name, text: "\(mebibytes) MiB")
        judge(name, met: mebibytes <= target, target: "≤ \(target) MiB", reason)
    }

    /// A figure without a target that the issue asks to explain, explained under the table.
    mutating func explain(_ name: String, _ text: String) { notes.append((name, text)) }

    private mutating func judge(_ name: String, met: Bool, target: String, _ reason: String) {
        verdicts[name] = (met ? "met" : "NOT MET") + " (target \(target))"
        if !met { unmet.append((name, reason)) }
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
        let width = rows.map { $0.0.count }.max() ?? 10, valueWidth = max(rows.map { $0.1.count }.max() ?? 5, 5)
        Swift.print("")
        Swift.print("figure".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + "value".padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  target")
        Swift.print(String(repeating: "-", count: width + valueWidth + 24))
        for (name, value) in rows {
            let line = name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value.padding(toLength: valueWidth, withPad: " ", startingAt: 0)
            Swift.print(verdicts[name].map { line + "  " + $0 } ?? String(line.reversed().drop { $0 == " " }.reversed()))
        }
        if !notes.isEmpty {
            Swift.print("")
            for (name, text) in notes { Swift.print("- \(name): \(text)") }
        }
        guard !unmet.isEmpty else {
            if !verdicts.isEmpty { Swift.print("\nEvery target above is met.") }
            return
        }
        Swift.print("")
        Swift.print("Targets not met: the measured reason, and what would meet it")
        for (name, reason) in unmet { Swift.print("- \(name): \(reason)") }
    }
}

enum Percentile {
    static func of(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
