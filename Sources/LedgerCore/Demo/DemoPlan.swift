import Foundation
import SQLKit

/// The demo registry computed in memory from the seed (cheap: a few thousand small values), then inserted in batches.
struct DemoPlan {
    struct PlannedRegion { let code: String; let name: String; let level: Region.Level; let parent: String?; let path: String }
    struct PlannedCompany { let id: Int64; let name: String; let uscc: String; let region: PlannedRegion; let contact: String; let phone: String; let address: String }
    struct PlannedEstate {
        let id: Int64; let name: String; let address: String; let community: PlannedRegion
        let households: Int; let floorArea: Int; let ownersShareBp: Int
        var companyId: Int64?
        var contracts: [(company: Int64, start: String, end: String?)] = []
        var committee: (kind: String, chair: String, start: String, end: String)?
        var account: (bank: String, number: String, opened: String)?
    }

    var regions: [PlannedRegion] = []
    var companies: [PlannedCompany] = []
    var estates: [PlannedEstate] = []
    var logins: [DemoLogin] = []

    /// Share of estates per district: the old urban core is dense, the mountain counties sparse.
    static let districtWeights: [String: Int] = [
        "350102": 18, "350103": 12, "350104": 16, "350105": 5, "350111": 14, "350112": 6, "350121": 8,
        "350122": 3, "350123": 2, "350124": 2, "350125": 2, "350181": 8, "350190": 4,
    ]
    static let banks = ["中国工商银行福州分行", "中国建设银行福州分行", "中国农业银行福州分行", "中国银行福州分行", "兴业银行福州分行", "福州农村商业银行"]

    static func make(options: DemoGenerator.Options, today: String) -> DemoPlan {
        var random = SeededRandom(seed: options.seed)
        var plan = DemoPlan()
        let geo = FuzhouGeography.self
        let province = PlannedRegion(code: geo.provinceCode, name: geo.provinceName, level: .province, parent: nil, path: "/\(geo.provinceCode)/")
        let city = PlannedRegion(code: geo.cityCode, name: geo.cityName, level: .city, parent: province.code, path: province.path + geo.cityCode + "/")
        plan.regions = [province, city]
        var communitiesByDistrict: [String: [PlannedRegion]] = [:]
        var districts: [PlannedRegion] = []
        for district in geo.districts {
            let county = PlannedRegion(code: district.code, name: district.name, level: .county, parent: city.code, path: city.path + district.code + "/")
            plan.regions.append(county)
            districts.append(county)
            for (s, street) in district.streets.enumerated() {
                let code = district.code + String(format: "%03d", s + 1)
                let streetRegion = PlannedRegion(code: code, name: street.name, level: .street, parent: county.code, path: county.path + code + "/")
                plan.regions.append(streetRegion)
                for (c, community) in street.communities.enumerated() {
                    let ccode = code + String(format: "%03d", c + 1)
                    let region = PlannedRegion(code: ccode, name: community, level: .community, parent: code, path: streetRegion.path + ccode + "/")
                    plan.regions.append(region)
                    communitiesByDistrict[district.code, default: []].append(region)
                }
            }
        }
        let weightedDistricts = districts.map { ($0, Self.districtWeights[$0.code] ?? 1) }

        // Companies: every district has at least two, the rest follow the estate weights.
        var companiesByDistrict: [String: [Int64]] = [:]
        var usedNames = Set<String>()
        for index in 0..<options.companyCount {
            let district = index < districts.count * 2 ? districts[index % districts.count] : random.weighted(weightedDistricts)
            var name = ""
            repeat {
                let stem = geo.companyStems.randomElement(using: &random)!
                let flavour = ["物业服务有限公司", "物业管理有限公司", "物业发展有限公司", "智慧物业服务有限公司"].randomElement(using: &random)!
                let place = ["福州", "福建", district.name.replacingOccurrences(of: "区", with: "").replacingOccurrences(of: "县", with: "")]
                    .randomElement(using: &random)!
                name = place + stem + flavour
                if usedNames.contains(name) { name = place + stem + geo.estateStems.randomElement(using: &random)! + flavour }
            } while usedNames.contains(name)
            usedNames.insert(name)
            let id = Int64(index + 1)
            let orgCode = String((0..<9).map { _ in USCC.alphabet.randomElement(using: &random)! })
            let uscc = USCC.withCheckCharacter("91" + district.code + orgCode)
            let contact = geo.surnames.randomElement(using: &random)! + "经理"
            let phone = "0591-8\(Int.random(in: 1_000_000...9_999_999, using: &random))"
            let address = "\(district.name)\(geo.roads.randomElement(using: &random)!)\(Int.random(in: 1...399, using: &random))号"
            plan.companies.append(PlannedCompany(id: id, name: name, uscc: uscc, region: district, contact: contact, phone: phone, address: address))
            companiesByDistrict[district.code, default: []].append(id)
        }

        // Estates, their managers, committees and accounts.
        var namesByCommunity: [String: Set<String>] = [:]
        let year = Int(today.prefix(4)) ?? 2026
        for index in 0..<options.estateCount {
            let district = random.weighted(weightedDistricts)
            let community = communitiesByDistrict[district.code]!.randomElement(using: &random)!
            var name = geo.estateStems.randomElement(using: &random)! + geo.estateSuffixes.randomElement(using: &random)!
            var phase = 2
            while namesByCommunity[community.code, default: []].contains(name) {
                name = name.replacingOccurrences(of: #"[一二三四五六七八九十]+期$"#, with: "", options: .regularExpression)
                    + ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][min(phase, 10)] + "期"
                phase += 1
                if phase > 10 { name = geo.estateStems.randomElement(using: &random)! + geo.estateSuffixes.randomElement(using: &random)!; phase = 2 }
            }
            namesByCommunity[community.code, default: []].insert(name)
            let households = [60, 120, 200, 320, 480, 650, 900, 1_300, 1_800, 2_600].randomElement(using: &random)! + Int.random(in: 0...59, using: &random)
            let ratio = [5_000, 6_000, 7_000, 7_000, 7_000, 8_000].randomElement(using: &random)!
            var estate = PlannedEstate(
                id: Int64(index + 1), name: name,
                address: "\(geo.roads.randomElement(using: &random)!)\(Int.random(in: 1...899, using: &random))号",
                community: community, households: households, floorArea: households * Int.random(in: 78...135, using: &random),
                ownersShareBp: ratio)
            if random.chance(0.97) {
                let local = companiesByDistrict[district.code] ?? []
                let company = !local.isEmpty && random.chance(0.75) ? local.randomElement(using: &random)! : Int64(Int.random(in: 1...options.companyCount, using: &random))
                let startYear = year - Int.random(in: 0...8, using: &random)
                let start = String(format: "%04d-%02d-01", startYear, Int.random(in: 1...12, using: &random))
                if random.chance(0.15) {
                    let previous = Int64(Int.random(in: 1...options.companyCount, using: &random))
                    let previousStart = String(format: "%04d-01-01", startYear - Int.random(in: 2...6, using: &random))
                    estate.contracts.append((previous, previousStart, EstateRecords.dayBefore(Day(start)!)))
                }
                estate.contracts.append((company, start, nil))
                estate.companyId = company
            }
            if random.chance(0.72) {
                // Terms run five years; about one committee in five has expired without re-election (rule W15).
                let expired = random.chance(0.2)
                let startYear = expired ? year - Int.random(in: 6...8, using: &random) : year - Int.random(in: 0...4, using: &random)
                let start = Day(year: startYear, month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...28, using: &random))
                let end = Day(year: startYear + 5, month: start.month, day: start.day)
                let chair = geo.surnames.randomElement(using: &random)! + geo.givenNameCharacters.randomElement(using: &random)!
                    + (random.chance(0.5) ? geo.givenNameCharacters.randomElement(using: &random)! : "")
                estate.committee = (random.chance(0.85) ? Committee.Kind.owners.rawValue : Committee.Kind.management.rawValue, chair, start.description, end.description)
            }
            if estate.companyId != nil && random.chance(0.9) {
                let number = "6" + String((0..<18).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
                let opened = String(format: "%04d-%02d-%02d", year - Int.random(in: 0...4, using: &random), Int.random(in: 1...12, using: &random), Int.random(in: 1...28, using: &random))
                estate.account = (Self.banks.randomElement(using: &random)!, number, opened)
            }
            plan.estates.append(estate)
        }
        plan.logins = plan.makeLogins()
        return plan
    }

    func makeLogins() -> [DemoLogin] {
        let gulou = "350102", taijiang = "350103"
        let gudongStreet = regions.first { $0.level == .street && $0.parent == gulou }!
        let gulouEstate = estates.first { $0.community.path.hasPrefix("/350000/350100/\(gulou)/") && $0.companyId != nil }!
        let company = companies.first { $0.id == gulouEstate.companyId }!
        func login(_ username: String, _ name: String, _ role: Role, region: String? = nil, company: Int64? = nil, estate: Int64? = nil, _ binding: String) -> DemoLogin {
            DemoLogin(username: username, displayName: name, role: role, regionCode: region, companyId: company, estateId: estate, bindingDescription: binding)
        }
        return [
            login("admin", "平台管理员", .admin, "全平台"),
            login("fuzhou", "福州市住建局", .regulator, region: "350100", "福州市"),
            login("gulou", "鼓楼区住建局", .regulator, region: gulou, "鼓楼区"),
            login("taijiang", "台江区住建局", .regulator, region: taijiang, "台江区"),
            login("street", "\(gudongStreet.name)办事处", .street, region: gudongStreet.code, "鼓楼区\(gudongStreet.name)"),
            login("dept", "福州市市场监管局", .department, region: "350100", "福州市"),
            login("jiwei", "福州市纪委监委", .oversight, region: "350100", "福州市"),
            login("jiandu", "行风监督员", .supervisor, region: "350100", "福州市"),
            login("company", company.name, .company, company: company.id, company.name),
            login("committee", "\(gulouEstate.name)业委会", .committee, estate: gulouEstate.id, gulouEstate.name),
            login("auditor", "福建闽信会计师事务所", .auditor, "本机构受托的审计（/audits）"),
        ]
    }

    func insert(on db: any SQLDatabase, at now: String) async throws {
        var regionRows = BulkInsert(table: "regions", columns: ["code", "name", "level", "parent_code", "path"])
        for r in regions { try await regionRows.add([r.code, r.name, r.level.rawValue, r.parent, r.path], on: db) }
        try await regionRows.flush(on: db)

        var companyRows = BulkInsert(table: "companies", columns: ["id", "name", "uscc", "region_code", "region_path", "contact_name",
                                                                   "contact_phone", "address", "created_at", "updated_at"])
        for c in companies {
            try await companyRows.add([c.id, c.name, c.uscc, c.region.code, c.region.path, c.contact, c.phone, c.address, now, now], on: db)
        }
        try await companyRows.flush(on: db)

        var estateRows = BulkInsert(table: "estates", columns: ["id", "name", "address", "community_code", "region_path", "households",
                                                                "floor_area", "owners_share_bp", "company_id", "created_at", "updated_at"])
        var contractRows = BulkInsert(table: "contracts", columns: ["estate_id", "company_id", "start_date", "end_date", "created_at"])
        var committeeRows = BulkInsert(table: "committees", columns: ["estate_id", "kind", "chair_name", "term_start", "term_end", "created_at"])
        var accountRows = BulkInsert(table: "dedicated_accounts", columns: ["estate_id", "bank", "account_number", "opened_on", "created_at"])
        for e in estates {
            try await estateRows.add([e.id, e.name, e.address, e.community.code, e.community.path, e.households, e.floorArea,
                                      e.ownersShareBp, e.companyId, now, now], on: db)
        }
        try await estateRows.flush(on: db)
        for e in estates {
            for k in e.contracts { try await contractRows.add([e.id, k.company, k.start, k.end, now], on: db) }
            if let m = e.committee { try await committeeRows.add([e.id, m.kind, m.chair, m.start, m.end, now], on: db) }
            if let a = e.account { try await accountRows.add([e.id, a.bank, a.number, a.opened, now], on: db) }
        }
        try await contractRows.flush(on: db)
        try await committeeRows.flush(on: db)
        try await accountRows.flush(on: db)
        try await BulkInsert.resetSequence(table: "companies", on: db)
        try await BulkInsert.resetSequence(table: "estates", on: db)
    }
}
