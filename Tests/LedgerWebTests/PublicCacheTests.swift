import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import Logging
import NIOCore
import Testing

/// The public pages served from `PublicPageCache`: rendered once per change of the estate's public content, with
/// `ETag`, `Cache-Control` and 304 for a matching `If-None-Match`.
@Suite struct PublicCacheTests {
    static func run(_ kind: TestDatabase.Kind,
                    _ body: @escaping @Sendable (WebHarness, PublicPageCache, any TestClientProtocol) async throws -> Void) async throws {
        let cache = PublicPageCache()
        try await WebHarness.run(kind, publicPageCache: cache) { harness, client in try await body(harness, cache, client) }
    }

    static let q2 = Quarter(year: 2024, quarter: 2)!

    static func publish(_ world: World, _ side: World.Side, reason: String? = nil, amend: Bool = false) async throws {
        var document = DisclosureSamples.valid()
        if amend {
            document.costs[0].amount = "6500.00"
            document.distribution = .init(ownersShare: "12670.00", companyShare: "5430.00")
            document.display = .init(from: "2024-11-19", until: "2024-12-20")   // a correction is displayed afresh
        }
        _ = try await DisclosureRepository(database: world.database, clock: world.clock).publish(
            estateId: side.estate.id, quarter: q2, document: document, reason: reason, scope: side.users[.company]!.scope)
    }

    /// An anonymous browser with its own anti-forgery cookie.
    static func visitor(_ token: String = WebHarness.csrf, ifNoneMatch: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.cookie: "ledger_csrf=\(token)"]
        if let ifNoneMatch { headers[.ifNoneMatch] = ifNoneMatch }
        return headers
    }

    @Test(arguments: TestDatabase.available)
    func aPublicPageIsRenderedOncePerChangeAndRevalidatedWith304(_ kind: TestDatabase.Kind) async throws {
        try await Self.run(kind) { harness, cache, client in
            let world = harness.world, a = world.a.estate.id, b = world.b.estate.id
            try await Self.publish(world, world.a)
            try await Self.publish(world, world.b)
            let page = "/public/estates/\(a)"

            // The first request renders, the second is served from memory: same body, an ETag, revalidate-always.
            let first = try await client.execute(uri: page, method: .get, headers: Self.visitor())
            #expect(first.status == .ok && first.text.contains(world.a.estate.name))
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] == "private, no-cache", "the page carries the visitor's form token")
            #expect(cache.renders == 1)
            let second = try await client.execute(uri: page, method: .get, headers: Self.visitor())
            #expect(second.status == .ok && second.text == first.text && second.headers[.eTag] == etag)
            #expect(cache.renders == 1 && cache.hits == 1)

            // A matching If-None-Match: 304 without a body; a stale one: the page.
            let notModified = try await client.execute(uri: page, method: .get, headers: Self.visitor(ifNoneMatch: etag))
            #expect(notModified.status == .notModified && notModified.body.readableBytes == 0 && notModified.headers[.eTag] == etag)
            let other = try await client.execute(uri: page, method: .get, headers: Self.visitor(ifNoneMatch: "\"nope\", W/\"stale\""))
            #expect(other.status == .ok && other.body.readableBytes > 0)
            #expect(cache.renders == 1)

            // Another browser gets its own anti-forgery token in the form, and its own tag.
            let token = "fedcba9876543210fedcba9876543210"
            let stranger = try await client.execute(uri: page, method: .get, headers: Self.visitor(token))
            #expect(stranger.text.contains("value=\"\(token)\"") && !stranger.text.contains(WebHarness.csrf))
            #expect(first.text.contains("value=\"\(WebHarness.csrf)\""))
            #expect(stranger.headers[.eTag] != etag && cache.renders == 1)

            // A correction re-renders the page: new content, new tag, and the old tag no longer matches.
            try await Self.publish(world, world.a, reason: "联系人有误", amend: true)
            let corrected = try await client.execute(uri: page, method: .get, headers: Self.visitor(ifNoneMatch: etag))
            #expect(corrected.status == .ok && corrected.text.contains("更正（第2版）") && corrected.text.contains("6,500.00") && corrected.headers[.eTag] != etag)
            #expect(cache.renders == 2)

            // The notice and the version history are cached the same way (no form: public).
            let notice = "/public/estates/\(a)/notice/2024/2", history = "/public/estates/\(a)/history/2024/2"
            for path in [notice, history] {
                let one = try await client.execute(uri: path, method: .get, headers: Self.visitor())
                let two = try await client.execute(uri: path, method: .get, headers: Self.visitor())
                #expect(one.status == .ok && two.text == one.text && one.headers[.cacheControl] == "public, no-cache")
            }
            #expect(cache.renders == 4)

            // A question asked at B (a write in another district) leaves A's page as rendered; B's is rendered again.
            _ = try await client.execute(uri: "/public/estates/\(b)", method: .get, headers: Self.visitor())
            #expect(cache.renders == 5)
            let asked = try await client.execute(uri: "/public/estates/\(b)/questions", method: .post, headers: Self.visitor(),
                                                 body: WebHarness.form(["quarter": "2024Q2", "item": "停车费", "content": "车位数与收入不符？"]))
            #expect(asked.status == .seeOther)
            _ = try await client.execute(uri: page, method: .get, headers: Self.visitor())
            #expect(cache.renders == 5)
            _ = try await client.execute(uri: "/public/estates/\(b)", method: .get, headers: Self.visitor())
            #expect(cache.renders == 6)

            // 404s are not kept; a signed-in visitor gets the page with their name, uncached and marked no-store.
            let missing = try await client.execute(uri: "/public/estates/999999", method: .get, headers: Self.visitor())
            #expect(missing.status == .notFound && cache.renders == 6)
            let officer = try await harness.token(world.a.users[.company]!)
            let signedIn = try await client.execute(uri: page, method: .get, headers: harness.browser(officer))
            #expect(signedIn.status == .ok && signedIn.headers[.eTag] == nil && signedIn.text.contains("current-user"))
            #expect(cache.renders == 6)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAnsweredQuestionShowsAtOnce(_ kind: TestDatabase.Kind) async throws {
        try await Self.run(kind) { harness, cache, client in
            let world = harness.world, a = world.a.estate.id
            try await Self.publish(world, world.a)
            let questions = OwnerQuestions(database: world.database, clock: world.clock)
            let question = try await questions.ask(estateId: a, QuestionInput(quarter: "2024Q2", item: "停车费", content: "车位数与收入不符？"),
                                                   address: "203.0.113.9")
            let before = try await client.execute(uri: "/public/estates/\(a)", method: .get, headers: Self.visitor())
            #expect(!before.text.contains("车位数与收入不符？"), "not public before the answer")
            _ = try await client.execute(uri: "/public/estates/\(a)", method: .get, headers: Self.visitor())
            #expect(cache.renders == 1)
            _ = try await questions.answer(questionId: question.id, AnswerInput(answer: "本季度新增临时车位12个"), scope: world.a.users[.company]!.scope)
            let after = try await client.execute(uri: "/public/estates/\(a)", method: .get,
                                                 headers: Self.visitor(ifNoneMatch: try #require(before.headers[.eTag])))
            #expect(after.status == .ok && after.text.contains("本季度新增临时车位12个"))
            #expect(cache.renders == 2)
        }
    }
}
