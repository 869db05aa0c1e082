import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
@testable import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// Attacks a public government system meets (issue #10), each refused: hostile multipart bodies, cross-site JSON,
/// methods a route does not answer, staff names on the public tracking page, test hooks from elsewhere.
@Suite struct SecurityTests {
    static let anonymous: HTTPFields = [.cookie: "ledger_csrf=\(WebHarness.csrf)"]

    /// A body of dash runs just short of the delimiter: the old search compared almost the whole boundary at every byte.
    static func dashRuns(total: Int, run: Int) -> ByteBuffer {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        while bytes.count < total {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: run))
            bytes.append(UInt8(ascii: "x"))
        }
        return ByteBuffer(bytes: bytes.prefix(total))
    }

    @Test func multipartSearchIsLinearWhateverTheBody() {
        let boundary = String(repeating: "-", count: 70)
        let body = Self.dashRuns(total: 2 << 20, run: 71)
        var work = 0
        _ = FormData.multipart(body, boundary: boundary, work: &work)
        // Each body byte is compared at most twice (KMP); the old search made ~70 comparisons per byte here.
        #expect(work <= 2 * body.readableBytes, "\(work) comparisons for \(body.readableBytes) bytes")
        // And it still finds what is there.
        let form = "--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--\(boundary)--\r\n"
        let parsed = FormData.multipart(ByteBuffer(string: form), boundary: boundary)
        #expect(parsed?["a"] == "1" && parsed?.files.first?.data == Array("hi".utf8))
    }

    @Test func boundariesOverSeventyCharactersAreRefused() {
        #expect(FormData.boundary(inContentType: "multipart/form-data; boundary=X") == "X")
        #expect(FormData.boundary(inContentType: "multipart/form-data; boundary=\"abc def\"") == "abc def")
        #expect(FormData.boundary(inContentType: "multipart/form-data; boundary=" + String(repeating: "-", count: 70)) != nil)
        #expect(FormData.boundary(inContentType: "multipart/form-data; boundary=" + String(repeating: "-", count: 71)) == nil)
        #expect(FormData.boundary(inContentType: "multipart/form-data; boundary=") == nil)
        #expect(FormData.boundary(inContentType: "multipart/form-data") == nil)
    }

    @Test(arguments: TestDatabase.available)
    func hostileMultipartIsRefusedBeforeTheBodyIsRead(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let boundary = String(repeating: "-", count: 4_000)
            var headers = Self.anonymous
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let response = try await client.execute(uri: "/public/complaints/new", method: .post, headers: headers,
                                                    body: Self.dashRuns(total: 2 << 20, run: 3_999))
            #expect(response.status == .badRequest && response.text.contains("分隔符"))
            // A staff form without a session is sent to the login page without its body being parsed.
            var staff = Self.anonymous
            staff[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let unsigned = try await client.execute(uri: "/problems/new", method: .post, headers: staff, body: Self.dashRuns(total: 1 << 20, run: 3_999))
            #expect(unsigned.status == .seeOther && unsigned.headers[.location] == "/login")
            #expect(try await harness.world.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM complaints").first(decodingColumn: "n", as: Int.self)
            } == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func jsonWritesNeedTheJSONContentType(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let body = WebHarness.json(["estateId": world.a.estate.id, "category": "revenue_ratio", "content": "业主分成比例明显低于合同约定。"])
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""] {
                let headers: HTTPFields = type.isEmpty ? [:] : [.contentType: type]
                let response = try await client.execute(uri: "/api/v1/complaints", method: .post, headers: headers, body: body)
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(response.apiError["code"] == "unsupported_media_type")
            }
            let token = try await harness.token(world.a.users[.regulator]!)
            let estate = try await client.execute(uri: "/api/v1/estates", method: .post,
                                                  headers: [.authorization: "Bearer \(token)", .contentType: "text/plain"], body: body)
            #expect(estate.status == .unsupportedMediaType)
            let count = try await world.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM complaints").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 0, "nothing was filed")
            let accepted = try await client.execute(uri: "/api/v1/complaints", method: .post,
                                                    headers: [.contentType: "application/json; charset=utf-8"], body: body)
            #expect(accepted.status == .created)
        }
    }

    @Test func methodsARouteDoesNotAnswerGet405WithAllow() async throws {
        try await WebHarness.run { _, client in
            let trace = try await client.execute(uri: "/healthz", method: .init("TRACE")!)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow]?.contains("GET") == true)
            let delete = try await client.execute(uri: "/api/v1/estates/1", method: .delete)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] != nil && delete.apiError["code"] == "method_not_allowed")
            let page = try await client.execute(uri: "/public/complaints/new", method: .put)
            #expect(page.status == .methodNotAllowed && page.headers[.allow] == "GET, POST")
            let unknown = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func trackingShowsTheHandlingUnitNeverALoginOrAnInternalNote(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let desk = Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let code = try await desk.file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从来没有公示过，请核查。"), uploads: [], address: "203.0.113.21")
            let id = try await world.database.read { db in
                try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
            }
            let street = world.a.users[.street]!
            let headers = harness.browser(try await harness.token(street))
            let assign = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: headers,
                                                  body: WebHarness.form(["action": "assign", "note": "内部：请老王盯紧"]))
            #expect(assign.status == .seeOther)
            let transfer = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: headers,
                                                    body: WebHarness.form(["action": "transfer", "to": "oversight", "note": "疑似经理侵占，线索移交"]))
            #expect(transfer.status == .seeOther, "\(transfer.text.prefix(400))")
            let page = try await client.execute(uri: "/public/complaints/track?code=\(code)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("办理时限"))
            #expect(!page.text.contains(street.username), "no staff login on the public page")
            #expect(!page.text.contains("老王") && !page.text.contains("疑似经理侵占"), "no internal notes on the public page")
            #expect(page.text.contains("已移交纪委监委处理"))
            let api = try await client.execute(uri: "/api/v1/complaints/track/\(code)", method: .get)
            #expect(!api.text.contains(street.username) && !api.text.contains("疑似经理侵占"))
        }
    }

    @Test func testHooksAnswerOnlyOnLoopbackAndTheClockIsCapped() async throws {
        try await WebHarness.run(testHooks: true) { harness, client in
            #expect(harness.routes.contains { $0.path == "/api/test/clock" }, "the flag adds the hooks")
            // The test client has no peer address: not loopback, so refused.
            let moved = try await client.execute(uri: "/api/test/clock?days=5", method: .post)
            #expect(moved.status == .forbidden && moved.apiError["code"] == "loopback_only")
        }
        try await WebHarness.run { harness, _ in
            #expect(!harness.routes.contains { $0.path.hasPrefix("/api/test/") }, "without the flag there are no hooks")
        }
        let clock = OffsetClock()
        #expect(clock.advance(days: 400) && clock.advance(days: 400))
        #expect(!clock.advance(days: 400), "the offset is capped at \(OffsetClock.maxOffsetDays) days")
        #expect(clock.advance(days: OffsetClock.maxOffsetDays - 800))
    }
}

/// The issue's own check, over HTTP: 32 wrong passwords at once for one account, then the right one.
@Suite struct LoginLockHTTPTests {
    @Test(arguments: TestDatabase.available)
    func thirtyTwoParallelGuessesGetAtMostFive401sThenTheRightPasswordIs429(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let username = harness.world.a.users[.regulator]!.username
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for attempt in 0..<32 {
                    group.addTask {
                        try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                 body: WebHarness.json(["username": username, "password": "wrong-\(attempt)"])).status
                    }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
            let unauthorized = statuses.filter { $0 == .unauthorized }.count
            #expect(unauthorized <= 5, "\(unauthorized) guesses were checked")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 32 - unauthorized)
            let right = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                 body: WebHarness.json(["username": username, "password": World.password]))
            #expect(right.status == .tooManyRequests && right.apiError["code"] == "locked")
        }
    }
}
