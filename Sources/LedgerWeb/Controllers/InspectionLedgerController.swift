import Foundation
import Hummingbird
import LedgerCore

/// The inspection ledgers under 报表: 检查工作台账 and 抽查核实台账, for a month (`from`, `until`) or cumulative (neither),
/// as streamed CSV and XLSX named with the region and the period.
struct InspectionLedgerController {
    let ledgers: InspectionLedgers
    let publicity: DoublePublicity
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/reports/inspections/work.csv", use: workCSV)
        router.get("/reports/inspections/work.xlsx", use: workXLSX)
        router.get("/reports/inspections/spot-checks.csv", use: spotCheckCSV)
        router.get("/reports/inspections/spot-checks.xlsx", use: spotCheckXLSX)
        router.get("/reports/double-publicity/penalties.csv", use: penaltiesCSV)
        router.get("/reports/double-publicity/inspections.csv", use: inspectionsCSV)
    }

    private var today: Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    /// The scope, region and period, all checked before the first byte goes out.
    private func query(_ request: Request, _ context: AppRequestContext) async throws -> (Scope, Region, InspectionLedgers.Period) {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let text = { (name: String) in query[Substring(name)].flatMap { $0.isEmpty ? nil : String($0.prefix(12)) } }
        let period = try ledgers.period(from: text("from"), until: text("until"))
        let region = try await ledgers.region(String((query["region"] ?? "").prefix(20)), scope: scope)
        return (scope, region, period)
    }

    /// `tier=department` or `tier=street`: the 主管部门's or the 镇（街道）'s inspections only.
    private func tier(_ request: Request) throws -> InspectionLedgers.Tier {
        let text = String((request.uri.queryParameters["tier"] ?? "").prefix(20))
        guard let tier = text.isEmpty ? .all : InspectionLedgers.Tier(rawValue: text) else {
            throw LedgerError.invalid("tier", code: "unknown_tier", "台账类别应为 department（主管部门）或 street（镇、街道）")
        }
        return tier
    }

    @Sendable func workCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, region, period) = try await query(request, context)
        let tier = try tier(request)
        return LedgerQuery.csvStream(InspectionLedgers.workLayout(unit: region.name, period: period, filledOn: today, tier: tier),
                                     filename: "\(tier.title)-\(region.name)-\(period.fileLabel).csv") { [ledgers] each in
            try await ledgers.forEach(region: region, period: period, crossInspections: true, tier: tier, scope: scope, each)
        }
    }

    @Sendable func workXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, region, period) = try await query(request, context)
        let tier = try tier(request)
        return try await LedgerQuery.xlsxStream(InspectionLedgers.workLayout(unit: region.name, period: period, filledOn: today, tier: tier),
                                                filename: "\(tier.title)-\(region.name)-\(period.fileLabel).xlsx") { each in
            try await ledgers.forEach(region: region, period: period, crossInspections: true, tier: tier, scope: scope, each)
        }
    }

    @Sendable func spotCheckCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, region, period) = try await query(request, context)
        return LedgerQuery.csvStream(InspectionLedgers.spotCheckLayout(unit: region.name, period: period, filledOn: today),
                                     filename: "抽查核实台账-\(region.name)-\(period.fileLabel).csv") { [ledgers] each in
            try await ledgers.forEach(region: region, period: period, crossInspections: false, scope: scope, each)
        }
    }

    @Sendable func spotCheckXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, region, period) = try await query(request, context)
        return try await LedgerQuery.xlsxStream(InspectionLedgers.spotCheckLayout(unit: region.name, period: period, filledOn: today),
                                                filename: "抽查核实台账-\(region.name)-\(period.fileLabel).xlsx") { each in
            try await ledgers.forEach(region: region, period: period, crossInspections: false, scope: scope, each)
        }
    }

    // MARK: 双公示 (for the provincial credit platform)

    @Sendable func penaltiesCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, region, period) = try await query(request, context)
        let rows = try await publicity.penalties(region: region, period: period, scope: scope)
        return LedgerQuery.csvStream(DoublePublicity.penaltyLayout(unit: "\(region.name)住房和城乡建设局"),
                                     filename: "双公示-行政处罚-\(region.name)-\(period.fileLabel).csv") { each in
            for row in rows { try await each(row) }
        }
    }

    @Sendable func inspectionsCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, region, period) = try await query(request, context)
        let rows = try await publicity.inspections(region: region, period: period, scope: scope)
        return LedgerQuery.csvStream(DoublePublicity.inspectionLayout(unit: "\(region.name)住房和城乡建设局"),
                                     filename: "双公示-抽查检查结果-\(region.name)-\(period.fileLabel).csv") { each in
            for row in rows { try await each(row) }
        }
    }
}
