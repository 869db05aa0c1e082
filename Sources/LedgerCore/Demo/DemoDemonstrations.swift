import Foundation
import SQLKit

/// The demo's 示范小区: Fuzhou's targets (鼓楼、台江、仓山、晋安 5 each, 长乐、福清 2, the others 1 — Fuzhou §四(六)), and in
/// each district the estates with the fewest warnings nominated — most confirmed by the city, one refused, two waiting.
struct DemoDemonstrations {
    let database: Database
    let clock: any LedgerClock

    func run() async throws {
        let counties = try await database.read { db in
            try await db.raw("SELECT code, name, path FROM regions WHERE level = 'county' ORDER BY code").all().map {
                (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                 path: try $0.decode(column: "path", as: String.self))
            }
        }
        let settings = RegionSettings(database: database, clock: clock)
        let demonstrations = Demonstrations(database: database, clock: clock)
        let city = Scope(userId: nil, username: "福州市住建局", role: .regulator, regionPath: "/350000/350100/", companyId: nil, estateId: nil)
        var pending = 0
        for (index, county) in counties.enumerated() {
            let target = ["鼓楼区", "台江区", "仓山区", "晋安区"].contains(county.name) ? 5 : ["长乐区", "福清市"].contains(county.name) ? 2 : 1
            let official = Scope(userId: nil, username: "\(county.name)住建局", role: .regulator, regionPath: county.path, companyId: nil, estateId: nil)
            try await settings.set(regionCode: county.code, key: "demonstration.target", value: "\(target)", scope: official)
            // The district's cleanest managed estates: fewest warnings, then by id.
            let candidates = try await database.read { db in
                try await db.raw("""
                    SELECT e.id FROM estates e WHERE e.company_id IS NOT NULL AND \(Scope.pathPredicate("e.region_path", county.path))
                    ORDER BY (SELECT COUNT(*) FROM warnings w WHERE w.estate_id = e.id), e.id LIMIT \(bind: max(1, target - index % 2))
                    """).all(decodingColumn: "id", as: Int64.self)
            }
            for (position, estate) in candidates.enumerated() {
                let id = try await demonstrations.nominate(estateId: estate, criteria: "连续按时规范公示公共收益，专户管理，收益分配和支出经业主共同决定，账目清晰",
                                                           evidence: "公示栏照片、专户流水、业主大会决议", scope: official)
                if position == candidates.count - 1 && pending < 2 {
                    pending += 1
                } else if index == 0 && position == 0 {
                    try await demonstrations.decide(id, confirm: false, reason: "支出凭证不完整，暂不予认定，整改后可再次推荐", scope: city)
                } else {
                    try await demonstrations.decide(id, confirm: true, reason: "经实地核查，符合公共收益管理示范小区条件", scope: city)
                }
            }
        }
    }
}
