import Foundation
import LedgerCore
import SQLKit

/// The complaint ledger export at scale: `count` complaints spread over the registry, exported as CSV and as XLSX by
/// the same streamed path the download takes (`Complaints.forEach` → `CSVStream` / `XLSXStream`), with the process's
/// peak resident memory reset before each export (Linux `clear_refs`) and read after it.
enum ExportBench {
    static func measure(_ db: Database, count: Int) async throws -> Report {
        var report = Report()
        let start = ContinuousClock.now
        try await seed(db, count: count)
        report.add("insert \(count) complaints for the export", seconds: (ContinuousClock.now - start).seconds)
        let complaints = Complaints(database: db, clock: SystemClock(), filesDirectory: NSTemporaryDirectory())
        let layout = ComplaintLedger.layout(unit: "全平台", filledOn: Day(Timestamp.shanghaiDay(Date()))!)
        let before = residentMegabytes("VmRSS")

        resetPeak()
        var run = ContinuousClock.now
        var csv = CSVStream(layout)
        var bytes = 0
        try await complaints.forEach(scope: .system, filter: CaseFilter()) { item in bytes += csv.append(item)?.count ?? 0 }
        bytes += csv.finish().count
        report.add("complaint ledger CSV, \(count) rows (\(bytes / 1_048_576) MiB)", seconds: (ContinuousClock.now - run).seconds)
        report.add("peak RSS during the CSV export (before: \(before) MB)", text: "\(residentMegabytes("VmHWM")) MB")

        resetPeak()
        run = ContinuousClock.now
        let xlsx = try XLSXStream(layout)
        try await complaints.forEach(scope: .system, filter: CaseFilter()) { try xlsx.append($0) }
        let file = try xlsx.finish()
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        try? FileManager.default.removeItem(at: file)
        report.add("complaint ledger XLSX, \(count) rows (\(size / 1_048_576) MiB)", seconds: (ContinuousClock.now - run).seconds)
        report.add("peak RSS during the XLSX export (before: \(before) MB)", text: "\(residentMegabytes("VmHWM")) MB")
        return report
    }

    /// `count` complaints in one statement, spread over the estates.
    static func seed(_ db: Database, count: Int) async throws {
        try await db.transaction { db in
            let estates = try await db.raw("SELECT COUNT(*) AS n FROM estates").first(decodingColumn: "n", as: Int.self) ?? 0
            guard estates > 0 else { return }
            let now = Timestamp.storage(Date())
            let numbers: SQLQueryString = db.dialect.name == "sqlite"
                ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(unsafeRaw: String(count)))"
                : ""
            let from: SQLQueryString = db.dialect.name == "sqlite" ? "n" : "generate_series(1, \(unsafeRaw: String(count))) AS n(i)"
            let code: SQLQueryString = db.dialect.name == "sqlite" ? "printf('TB%010d', n.i)" : "'TB' || lpad(n.i::text, 10, '0')"
            try await db.raw("""
                INSERT INTO complaints (tracking_code, source, estate_id, company_id, region_path, category, content, received_at, received_by,
                                        handling_region, deadline, status, updated_at)
                \(numbers)
                SELECT \(code), 'hotline', e.id, e.company_id, e.region_path, 'revenue_undisclosed',
                       '小区停车场、电梯广告收入从未公示，请核查公共收益去向并责令公开。', \(bind: now), 'bench', NULL, '2026-12-31', 'received', \(bind: now)
                FROM \(from) JOIN estates e ON e.id = 1 + (n.i % \(unsafeRaw: String(estates)))
                """).run()
        }
    }

    /// Resets the kernel's peak-RSS mark to the current RSS.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// A `/proc/self/status` memory line (`VmRSS`, `VmHWM`) in MB.
    static func residentMegabytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kb / 1024
    }
}
