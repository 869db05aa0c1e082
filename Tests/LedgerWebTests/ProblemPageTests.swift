import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The problem pages, the printable letters, the settings and enforcement pages, with the user's own data.
@Suite struct ProblemPageTests {
    @Test(arguments: TestDatabase.available)
    func problemPagesLettersSettingsAndEnforcement(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            // Manual entry: a past deadline is refused beside its field; a good one is filed.
            let past = try await client.execute(uri: "/problems/new", method: .post, headers: regulator, body: WebHarness.form([
                "estate": "\(world.a.estate.id)", "category": "common_space_occupied", "description": "占用架空层停放电动车", "deadline": "2024-01-01"]))
            #expect(past.status == .badRequest && past.text.contains("整改期限不能早于今天"))
            let created = try await client.execute(uri: "/problems/new", method: .post, headers: regulator, body: WebHarness.form([
                "estate": "\(world.a.estate.id)", "category": "common_space_occupied", "description": "占用架空层停放电动车", "deadline": "2024-11-19"]))
            #expect(created.status == .seeOther)
            let path = try #require(created.headers[.location])
            let id = try #require(Int64(path.split(separator: "/").last ?? ""))
            try await Escalation(database: world.database, clock: world.clock).run()
            let page = try await client.execute(uri: path, method: .get, headers: regulator)
            #expect(page.status == .ok && page.text.contains("整改提醒函") && page.text.contains("action-refer"))
            let letter = try await client.execute(uri: "\(path)/letters/reminder", method: .get, headers: regulator)
            #expect(letter.status == .ok && letter.text.contains(world.a.company.name) && letter.text.contains("占用架空层停放电动车"))
            // The 公文 layout: issuing authority, number, addressee flush left, the date in Chinese numerals, seal, print button.
            #expect(letter.text.contains("<p class=\"authority\" id=\"authority\">鼓楼区住房和城乡建设局</p>") && letter.text.contains("id=\"doc-number\">鼓楼区物业提醒〔2024〕1号"))
            #expect(letter.text.contains("<p class=\"addressee\" id=\"addressee\">\(world.a.company.name)：</p>") && letter.text.contains("二〇二四年十一月十九日"))
            #expect(letter.text.contains("印章位置") && letter.text.contains("data-print") && letter.text.contains("特此函告"))
            #expect(try await client.execute(uri: "\(path)/letters/interview", method: .get, headers: regulator).status == .notFound)
            let list = try await client.execute(uri: "/problems?overdue=0", method: .get, headers: regulator)
            #expect(list.text.contains("/problems/\(id)"))
            let rates = try await client.execute(uri: "/problems/put-right", method: .get, headers: regulator)
            #expect(rates.status == .ok && rates.text.contains("0.0%"))
            let csv = try await client.execute(uri: "/problems/ledger.csv", method: .get, headers: regulator)
            #expect(String(buffer: csv.body).contains("已发提醒函"))
            // The company sees its problem and the rectification form; another company does not.
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            let own = try await client.execute(uri: path, method: .get, headers: company)
            #expect(own.text.contains("action-rectify") && !own.text.contains("action-accept"))
            let other = harness.browser(try await harness.token(world.b.users[.company]!))
            #expect(try await client.execute(uri: path, method: .get, headers: other).status == .notFound)
            // Settings: out of range refused, a good value saved and shown as in force below.
            let bad = try await client.execute(uri: "/settings", method: .post, headers: regulator,
                                               body: WebHarness.form(["region": world.a.county.code, "key": "ladder.supervision", "value": "0"]))
            #expect(bad.status == .badRequest && bad.text.contains("须在 1–90天 之间"))
            let saved = try await client.execute(uri: "/settings", method: .post, headers: regulator,
                                                 body: WebHarness.form(["region": world.a.county.code, "key": "complaint_days.hotline", "value": "10"]))
            #expect(saved.status == .seeOther)
            let street = try await client.execute(uri: "/settings?region=\(world.a.street.code)", method: .get, headers: regulator)
            #expect(street.text.contains("<td class=\"current\">10 个工作日</td><td>鼓楼区</td>"))
            // Enforcement against the company, linked to the problem.
            let future = try await client.execute(uri: "/companies/\(world.a.company.id)/enforcement", method: .post, headers: regulator, body: WebHarness.form([
                "kind": "interview", "decidedOn": "2030-01-01", "basis": "逾期未整改", "documentNumber": "鼓建约〔2024〕1号"]))
            #expect(future.status == .badRequest && future.text.contains("决定日期不能晚于今天"))
            let recorded = try await client.execute(uri: "/companies/\(world.a.company.id)/enforcement", method: .post, headers: regulator, body: WebHarness.form([
                "kind": "interview", "decidedOn": "2024-11-19", "basis": "逾期未整改", "documentNumber": "鼓建约〔2024〕1号", "problem": "\(id)"]))
            #expect(recorded.status == .seeOther)
            let after = try await client.execute(uri: path, method: .get, headers: regulator)
            #expect(after.text.contains("鼓建约〔2024〕1号"))
            let streetUser = harness.browser(try await harness.token(world.a.users[.street]!))
            #expect(try await client.execute(uri: "/settings", method: .get, headers: streetUser).status == .forbidden)
        }
    }
}
