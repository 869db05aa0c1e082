import Foundation
import Hummingbird
import LedgerCore
import Synchronization

/// Staff list pages kept rendered for everyone who sees the same thing (issue #16 item 4).
///
/// What a list page shows depends on the reader's role and scope, the filter and today — the same key and stamp its
/// rows are kept under (`Database.cachedList`, `ListCache`) — and, in the frame only, on who is signed in: their name,
/// their form token and their unread count. So the page is rendered once per (role, scope, filter, stamp) with
/// placeholders in those three places, kept split at them, and each request joins the pieces with its own user's
/// values, escaped as Mustache would escape them. Rendering a list of 30 rows and a drop-down of 190 regions cost
/// 30–80 ms of CPU per request (swift-mustache's dynamic casts); joining costs a copy of the page.
struct SharedPages: Sendable {
    let database: Database
    let renderer: Renderer
    let renders: RenderCounter

    /// `template` with the model `build` makes for a viewer, rendered once per change of what `scope` sees of the list
    /// `kind` under `key` (everything the request chose: filter, order, page) and kept; a page with a notice of its own
    /// or another status is the caller's to render directly. `kept: false` (a search for typed text, which is seldom
    /// asked twice) renders for this request only, so that searching does not push everyone's lists out of the cache.
    func render<Model: Sendable>(_ template: Template, _ kind: String, key: String, kept: Bool = true, scope: Scope, today: Day,
                                 context: AppRequestContext,
                                 _ build: @escaping @Sendable (Layout.Viewer) async throws -> Model) async throws -> Response {
        let viewer = Layout.Viewer(context)
        guard kept else { return renderer.render(template, try await build(viewer)) }
        let placeholders = Layout.Viewer(userName: Slot.userName.marker, role: scope.role, csrf: Slot.csrf.marker, unread: Slot.unread.marker,
                                         hasUnread: viewer.hasUnread)
        let page = try await database.cachedList("page|\(template.rawValue)|\(kind)", scope: scope, key: "\(key)|\(viewer.hasUnread)", today: today) {
            let model = try await build(placeholders)
            renders.count()
            return Pieces(renderer.text(template, model))
        }
        return Renderer.html(page.joined(viewer))
    }

    /// The places a user's own values go.
    enum Slot: Int, CaseIterable, Sendable {
        case userName, csrf, unread

        /// A character from the private-use area, which neither a template nor Mustache's escaping writes, and this
        /// process's random tag: text a user typed (a complaint, a name) may hold the character, never the tag, so it is
        /// never taken for a slot.
        var marker: String { Self.opening + "\(rawValue)\u{E001}" }

        static let opening = "\u{E000}" + Hex.random(bytes: 16)

        func value(_ viewer: Layout.Viewer) -> String {
            switch self {
            case .userName: viewer.userName ?? ""
            case .csrf: viewer.csrf
            case .unread: viewer.unread
            }
        }
    }

    /// A rendered page split at its slots.
    struct Pieces: Sendable {
        let texts: [String]
        let slots: [Slot]

        init(_ html: String) {
            var texts: [String] = [], slots: [Slot] = []
            var text = "", rest = Substring(html)
            while let range = rest.range(of: Slot.opening) {
                let after = rest[range.upperBound...]
                guard let digit = after.first, let slot = Int(String(digit)).flatMap(Slot.init(rawValue:)),
                      after.dropFirst().first == "\u{E001}" else {
                    // Not one of ours after all: kept as text.
                    text += rest[..<range.upperBound]
                    rest = after
                    continue
                }
                texts.append(text + rest[..<range.lowerBound])
                text = ""
                slots.append(slot)
                rest = after.dropFirst(2)
            }
            texts.append(text + rest)
            self.texts = texts
            self.slots = slots
        }

        func joined(_ viewer: Layout.Viewer) -> String {
            var html = ""
            html.reserveCapacity(texts.reduce(0) { $0 + $1.utf8.count } + 256)
            for (text, slot) in zip(texts, slots) {
                html += text
                html += HTMLText.escaped(slot.value(viewer))
            }
            html += texts[texts.count - 1]
            return html
        }
    }
}

/// How many shared pages were rendered rather than found current (tests pass their own to count).
public final class RenderCounter: Sendable {
    private let value = Atomic<Int>(0)

    public init() {}

    public var rendered: Int { value.load(ordering: .relaxed) }

    func count() { value.add(1, ordering: .relaxed) }
}
