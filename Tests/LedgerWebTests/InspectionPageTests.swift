import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The spot-check pages: a county official makes a plan, confirms the forced inclusions, publishes, draws from the
/// announced seed; a visit is recorded with a photo; the 不符合 becomes a problem; the public sees plan and result.
@Suite struct InspectionPageTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)

    /// A multipart body of fields and files (name, filename, bytes).
    static func multipart(_ fields: [String: String], files: [(String, String, [UInt8])], boundary: String = "----inspectionboundary") -> ByteBuffer {
        var buffer = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, filename, bytes) in files {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: image/png\r\n\r\n")
            buffer.writeBytes(bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    @Test(arguments: TestDatabase.available)
    func planDrawVisitProblemAndPublicResult(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            try await world.database.transaction { db in
                for index in 0..<3 {
                    try await db.raw("""
                        INSERT INTO inspectors (region_code, name, organisation, conflicts, active, created_at)
                        VALUES (\(bind: world.a.county.code), \(bind: "王检查\(index)"), '鼓楼区住建局', '', 1, '2024-11-01T00:00:00Z')
                        """).run()
                }
            }
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let empty = try await client.execute(uri: "/inspections", method: .get, headers: regulator)
            #expect(empty.status == .ok && empty.text.contains("id=\"empty-state\"") && empty.text.contains("/inspections/plans/new"))
            let form = try await client.execute(uri: "/inspections/plans/new", method: .get, headers: regulator)
            #expect(form.status == .ok && form.text.contains("name=\"seedSource\"") && form.text.contains("50%"))

            // Every error at once, nothing written.
            let before = try await world.fingerprint()
            let bad = try await client.execute(uri: "/inspections/plans/new", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "year": "2024", "quarter": "", "seedSource": "", "extraForced": "十二"]))
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("请确认必查名单无误") && bad.text.contains("随机种子来源") && bad.text.contains("请填写小区编号（数字）"))
            #expect(try await world.fingerprint() == before)
            let outside = try await client.execute(uri: "/inspections/plans/new", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "year": "2024", "seedSource": "双色球2024年11月21日开奖号码", "extraForced": "\(world.b.estate.id)", "confirm": "1"]))
            #expect(outside.status == .badRequest && outside.text.contains("必查小区须在本辖区内"))

            // Publish with the estate forced in, then draw.
            let published = try await client.execute(uri: "/inspections/plans/new", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "year": "2024", "quarter": "4", "seedSource": "双色球2024年11月21日开奖号码",
                "forced": "\(world.a.estate.id)", "confirm": "1"]))
            #expect(published.status == .seeOther)
            let location = try #require(published.headers[.location])
            let planPath = String(location.split(separator: "?")[0])
            let planId = try #require(Int64(planPath.split(separator: "/").last ?? ""))
            let waiting = try await client.execute(uri: location, method: .get, headers: regulator)
            #expect(waiting.text.contains("已公布待抽取") && waiting.text.contains("id=\"draw-form\"") && waiting.text.contains(world.a.estate.name))
            // Public from its publication: the commitment (hash, seed source) before the seed exists; no result yet.
            let committed = try await client.execute(uri: "/public/inspection-plans/\(planId)", method: .get)
            #expect(committed.status == .ok && committed.text.contains("尚未抽取") && committed.text.contains("双色球2024年11月21日开奖号码"))
            #expect(committed.text.contains(world.a.estate.name) && !committed.text.contains("id=\"public-drawn\""))
            let hash = try #require(waiting.text.range(of: "[0-9a-f]{64}", options: .regularExpression).map { String(waiting.text[$0]) })
            #expect(committed.text.contains(hash))
            // A second plan for the same region and period is refused (no choosing among several draws).
            let twice = try await client.execute(uri: "/inspections/plans/new", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "year": "2024", "quarter": "4", "seedSource": "双色球2024年11月24日开奖号码", "confirm": "1"]))
            #expect(twice.status == .badRequest && twice.text.contains("同一期间只能有一个计划"))
            let unconfirmed = try await client.execute(uri: "\(planPath)/draw", method: .post, headers: regulator, body: WebHarness.form(["seed": ""]))
            #expect(unconfirmed.status == .badRequest && unconfirmed.text.contains("请填写随机种子") && unconfirmed.text.contains("请确认种子已按公布的来源产生"))
            let drawn = try await client.execute(uri: "\(planPath)/draw", method: .post, headers: regulator,
                                                 body: WebHarness.form(["seed": "01 05 09 17 22 30 04", "confirm": "1"]))
            #expect(drawn.status == .seeOther)
            let result = try await client.execute(uri: planPath, method: .get, headers: regulator)
            #expect(result.text.contains("已抽取") && result.text.contains("/inspections/visits/new?plan=\(planId)&amp;estate=\(world.a.estate.id)"))
            #expect(result.text.contains("王检查"))
            let again = try await client.execute(uri: "\(planPath)/draw", method: .post, headers: regulator,
                                                 body: WebHarness.form(["seed": "02 05 09 17 22 30 04", "confirm": "1"]))
            #expect(again.status == .badRequest && again.text.contains("不能重抽"))

            // The public page: seed, hash, method, result; inspectors by number and unit only; the list hashes to the published value.
            let open = try await client.execute(uri: "/public/inspection-plans/\(planId)", method: .get)
            #expect(open.status == .ok && open.text.contains("01 05 09 17 22 30 04") && open.text.contains(SpotCheckDraw.method))
            #expect(open.text.contains(world.a.estate.name) && open.text.contains("鼓楼区住建局") && !open.text.contains("王检查"))
            let listed = try await client.execute(uri: "/public/inspection-plans/\(planId)/eligible.txt", method: .get)
            let digest = SHA256.hash(data: Data(listed.body.readableBytesView)).map { String(format: "%02x", $0) }.joined()
            #expect(open.text.contains(digest) && listed.text.hasPrefix("\(world.a.estate.id)|"))

            // Another county's officer cannot open the plan; a company cannot open the area.
            let other = harness.browser(try await harness.token(world.b.users[.regulator]!))
            #expect(try await client.execute(uri: planPath, method: .get, headers: other).status == .notFound)
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            #expect(try await client.execute(uri: "/inspections", method: .get, headers: company).status == .forbidden)

            // A visit: unanswered items are all reported at once, nothing written.
            let visitForm = try await client.execute(uri: "/inspections/visits/new?plan=\(planId)&estate=\(world.a.estate.id)", method: .get, headers: regulator)
            #expect(visitForm.status == .ok && visitForm.text.contains("name=\"photo.account_used\"") && visitForm.text.contains(world.a.estate.name))
            var headers = regulator
            headers[.contentType] = "multipart/form-data; boundary=----inspectionboundary"
            let base: [String: String] = ["_csrf": WebHarness.csrf, "plan": "\(planId)", "estate": "\(world.a.estate.id)", "inspectedOn": "2024-11-19"]
            let before2 = try await world.fingerprint()
            let incomplete = try await client.execute(uri: "/inspections/visits/new", method: .post, headers: headers,
                                                      body: Self.multipart(base.merging(["result.account_used": "fails"]) { $1 }, files: []))
            #expect(incomplete.status == .badRequest)
            #expect(incomplete.text.contains("请填写「\(Checklist.items[0].title)」的检查结果") && incomplete.text.contains("请填写「\(Checklist.items[8].title)」的检查结果"))
            #expect(incomplete.text.contains("不符合的具体情况"))
            #expect(try await world.fingerprint() == before2)

            var early = base
            for item in Checklist.items { early["result.\(item.code)"] = "conforms" }
            early["inspectedOn"] = "2024-11-18"
            let beforeDraw = try await client.execute(uri: "/inspections/visits/new", method: .post, headers: headers, body: Self.multipart(early, files: []))
            #expect(beforeDraw.status == .badRequest && beforeDraw.text.contains("检查日期不能早于抽查计划的抽取日期"))
            var answers = base
            for item in Checklist.items { answers["result.\(item.code)"] = item.code == "account_used" ? "fails" : "conforms" }
            answers["note.account_used"] = "公共收益仍存入物业企业基本户"
            let recorded = try await client.execute(uri: "/inspections/visits/new", method: .post, headers: headers,
                                                    body: Self.multipart(answers, files: [("photo.account_used", "现场.png", Self.png)]))
            #expect(recorded.status == .seeOther)
            let visitPath = try #require(recorded.headers[.location])
            let visit = try await client.execute(uri: visitPath, method: .get, headers: regulator)
            #expect(visit.status == .ok && visit.text.contains("公共收益仍存入物业企业基本户") && visit.text.contains("/problems/"))
            let photoPath = try #require(visit.text.range(of: "\(visitPath)/photos/[0-9]+", options: .regularExpression).map { String(visit.text[$0]) })
            let photo = try await client.execute(uri: photoPath, method: .get, headers: regulator)
            #expect(photo.status == .ok && photo.headers[.contentType] == "image/png" && Array(photo.body.readableBytesView) == Self.png)
            #expect(try await client.execute(uri: photoPath, method: .get, headers: other).status == .notFound)

            // The 不符合 is a problem of the company, with the photo as evidence, on the ladder.
            let problem = try #require(try await world.database.read { db in
                try await db.raw("SELECT id, category, status, company_id FROM problems WHERE source = 'inspection'").first()
            })
            #expect(try problem.decode(column: "category", as: String.self) == "revenue_no_account")
            #expect(try problem.decode(column: "company_id", as: Int64?.self) == world.a.company.id)
            let problemPage = try await client.execute(uri: "/problems/\(try problem.decode(column: "id", as: Int64.self))", method: .get, headers: regulator)
            #expect(problemPage.text.contains("现场.png") && problemPage.text.contains("整改中"))
            let afterVisit = try await client.execute(uri: planPath, method: .get, headers: regulator)
            #expect(afterVisit.text.contains("1项不符合"))

            // The public estate page shows the result without inspectors.
            let estatePage = try await client.execute(uri: "/public/estates/\(world.a.estate.id)", method: .get)
            #expect(estatePage.text.contains("监督检查结果") && estatePage.text.contains("符合 8 项，不符合 1 项"))
            #expect(estatePage.text.contains("设立并使用公共收益专户：整改中") && !estatePage.text.contains("王检查"))
            #expect(estatePage.text.contains("/public/inspection-plans/\(planId)"))
        }
    }

    @Test func inspectorRegisterChecksEveryFieldAndStaysInItsJurisdiction() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let before = try await world.fingerprint()
            let bad = try await client.execute(uri: "/inspections/inspectors", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "name": "", "organisation": "", "conflicts": "甲公司"]))
            #expect(bad.status == .badRequest && bad.text.contains("请填写姓名") && bad.text.contains("所在单位") && bad.text.contains("企业编号（数字）"))
            let foreignStreet = try await client.execute(uri: "/inspections/inspectors", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "name": "李监督", "organisation": "行风监督员", "streetCode": world.b.street.code]))
            #expect(foreignStreet.status == .badRequest && foreignStreet.text.contains("所服务街道须是鼓楼区的街道"))
            #expect(try await world.fingerprint() == before)
            let added = try await client.execute(uri: "/inspections/inspectors", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "name": "李监督", "organisation": "行风监督员", "streetCode": world.a.street.code,
                "conflicts": "\(world.a.company.id)"]))
            #expect(added.status == .seeOther)
            let list = try await client.execute(uri: "/inspections/inspectors", method: .get, headers: regulator)
            #expect(list.text.contains("李监督") && list.text.contains(world.a.street.name) && list.text.contains("企业\(world.a.company.id)"))
            let other = harness.browser(try await harness.token(world.b.users[.regulator]!))
            #expect(!(try await client.execute(uri: "/inspections/inspectors", method: .get, headers: other)).text.contains("李监督"))
            let id = try #require(try await world.database.read { db in
                try await db.raw("SELECT id FROM inspectors WHERE name = '李监督'").first(decodingColumn: "id", as: Int64.self)
            })
            #expect(try await client.execute(uri: "/inspections/inspectors/\(id)/active", method: .post, headers: other,
                                             body: WebHarness.form(["active": "0", "confirm": "1"])).status == .notFound)
            let unconfirmed = try await client.execute(uri: "/inspections/inspectors/\(id)/active", method: .post, headers: regulator,
                                                       body: WebHarness.form(["active": "0"]))
            #expect(unconfirmed.status == .badRequest && unconfirmed.text.contains("请勾选“确认停用”"))
            let stopped = try await client.execute(uri: "/inspections/inspectors/\(id)/active", method: .post, headers: regulator,
                                                   body: WebHarness.form(["active": "0", "confirm": "1"]))
            #expect(stopped.status == .seeOther)
            #expect(try await client.execute(uri: "/inspections/inspectors", method: .get, headers: regulator).text.contains("已停用"))
        }
    }
}
