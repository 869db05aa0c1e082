import Crypto
import Foundation
import Hummingbird
import LedgerCore
import NIOCore
import Synchronization

/// The public pages of an estate — `/public/estates/:id`, its notices and its version histories — rendered once per
/// change of what they show and kept in memory, bounded in entries and bytes (least recently used goes first).
///
/// Validity: each entry carries the estate's `PublicStamps.Stamp` of when it was rendered; a request reads the current
/// stamp (one indexed query) and serves the entry only if it is the same. The stamp is read before rendering, so a page
/// is never older than its stamp (a write racing the render at worst costs one more render).
///
/// The anti-forgery token (`_csrf` of the owners' question form) is per browser: the body is stored with the offsets of
/// the token it was rendered with, and each visitor gets their own written in at those offsets (same length, 32 hex).
public final class PublicPageCache: Sendable {
    struct Entry: Sendable {
        let stamp: PublicStamps.Stamp
        let body: ByteBuffer
        let headers: HTTPFields
        /// Where the renderer's anti-forgery token sits in `body`.
        let tokenOffsets: [Int]
        /// A hash of the body with the token blanked: equal bodies give equal tags on every server.
        let tag: String
        var lastUsed: UInt64
    }

    struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        var renders = 0
        var hits = 0
    }

    public let maxEntries: Int
    public let maxBytes: Int
    private let state = Mutex(State())

    /// 2,000 pages or 64 MiB, whichever is reached first (a public page is 5–60 KB).
    public init(maxEntries: Int = 2_000, maxBytes: Int = 64 << 20) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// How many pages were rendered (a request that found no valid entry), and how many were served from memory.
    public var renders: Int { state.withLock { $0.renders } }
    public var hits: Int { state.withLock { $0.hits } }
    public var count: Int { state.withLock { $0.entries.count } }
    public var bytes: Int { state.withLock { $0.bytes } }

    func entry(_ key: String) -> Entry? {
        state.withLock { $0.entries[key] }
    }

    /// The entry if it is still valid for `stamp` (and marks it used).
    func hit(_ key: String, stamp: PublicStamps.Stamp) -> Entry? {
        state.withLock { state in
            guard var entry = state.entries[key], entry.stamp == stamp else { return nil }
            state.tick += 1
            entry.lastUsed = state.tick
            state.entries[key] = entry
            state.hits += 1
            return entry
        }
    }

    func countRender() {
        state.withLock { $0.renders += 1 }
    }

    func put(_ key: String, _ entry: Entry) {
        let size = entry.body.readableBytes + key.utf8.count
        guard size <= maxBytes / 8 else { return }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.body.readableBytes + key.utf8.count }
            while !state.entries.isEmpty && (state.entries.count >= maxEntries || state.bytes + size > maxBytes) {
                // Evicting is rare (only on a render) and the table is small: a scan for the oldest is enough.
                let oldest = state.entries.min { $0.value.lastUsed < $1.value.lastUsed }!
                state.entries.removeValue(forKey: oldest.key)
                state.bytes -= oldest.value.body.readableBytes + oldest.key.utf8.count
            }
            state.tick += 1
            var entry = entry
            entry.lastUsed = state.tick
            state.entries[key] = entry
            state.bytes += size
        }
    }
}

/// Serves the public pages from `PublicPageCache` with `ETag` and `Cache-Control`, answering a matching
/// `If-None-Match` with 304. Sits in front of the public routes only; passes everything else through untouched.
///
/// Not cached: anything but GET, responses other than 200, and signed-in visitors (the layout shows their name, menu
/// and logout form). `Cache-Control: no-cache` — every use is revalidated, because a corrected disclosure must be seen
/// at once (a max-age would let a browser or proxy show the superseded figures); revalidation is a 304 without body
/// after one stamp query. Pages carrying the visitor's anti-forgery token are `private` (a shared cache must not hand one
/// visitor's form to another); the others are `public`.
struct PublicPageCacheMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let cache: PublicPageCache
    let stamps: PublicStamps

    /// The estate of a cacheable public path: `/public/estates/7`, `/public/estates/7/notice/2024/3`,
    /// `/public/estates/7/history/2024/3`.
    static func estateId(_ path: String) -> Int64? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].isEmpty, parts[1] == "public", parts[2] == "estates",
              let id = Int64(parts[3]), id > 0 else { return nil }
        switch parts.count {
        case 4: return id
        case 7 where (parts[4] == "notice" || parts[4] == "history") && Int(parts[5]) != nil && Int(parts[6]) != nil: return id
        default: return nil
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, context.user == nil, let estateId = Self.estateId(request.uri.path),
              context.csrfToken.utf8.count == 32 else {
            return try await next(request, context)
        }
        // The notice's QR code links to the host the visitor used (when no public address is configured): part of the key.
        let key = [request.uri.path, request.uri.query ?? "", request.head.authority ?? "",
                   request.headers[.init("X-Forwarded-Proto")!] ?? ""].joined(separator: "|")
        guard let stamp = try await stamps.stamp(estateId: estateId, knownPath: cache.entry(key)?.stamp.regionPath) else {
            return try await next(request, context)
        }
        let entry: PublicPageCache.Entry
        if let hit = cache.hit(key, stamp: stamp) {
            entry = hit
        } else {
            let response = try await next(request, context)
            guard response.status == .ok else { return response }
            cache.countRender()
            let collector = BodyCollector()
            let box = collector.box
            try await response.body.write(collector)
            let bytes = Array(box.buffer.readableBytesView)
            let offsets = Self.offsets(of: Array(context.csrfToken.utf8), in: bytes)
            // The tag hashes the body with the token blanked, so every visitor (and every server) shares it.
            var blanked = bytes
            for offset in offsets { blanked.replaceSubrange(offset..<offset + 32, with: repeatElement(UInt8(ascii: "-"), count: 32)) }
            let tag = Hex.encode(SHA256.hash(data: blanked).prefix(12))
            var headers = response.headers
            headers[.contentLength] = nil
            entry = .init(stamp: stamp, body: ByteBuffer(bytes: bytes), headers: headers, tokenOffsets: offsets, tag: tag, lastUsed: 0)
            cache.put(key, entry)
        }
        return Self.respond(entry, token: context.csrfToken, ifNoneMatch: request.headers[values: .ifNoneMatch])
    }

    /// The entry as this visitor's response: their token written in, or 304 when their copy is current.
    static func respond(_ entry: PublicPageCache.Entry, token: String, ifNoneMatch: [String]) -> Response {
        let personal = !entry.tokenOffsets.isEmpty
        let etag = personal
            ? "\"\(entry.tag)-\(Hex.encode(SHA256.hash(data: Array(token.utf8)).prefix(4)))\""
            : "\"\(entry.tag)\""
        var headers = entry.headers
        headers[.eTag] = etag
        headers[.cacheControl] = personal ? "private, no-cache" : "public, no-cache"
        if matches(ifNoneMatch, etag: etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers, body: .init())
        }
        var body = entry.body
        if personal {
            let tokenBytes = Array(token.utf8)
            for offset in entry.tokenOffsets { body.setBytes(tokenBytes, at: body.readerIndex + offset) }
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// `If-None-Match: "a", W/"b"` or `*`: weak comparison, as RFC 9110 asks for GET.
    static func matches(_ values: [String], etag: String) -> Bool {
        for value in values {
            for candidate in value.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag.removeFirst(2) }
                if tag == etag { return true }
            }
        }
        return false
    }

    /// Every place `needle` occurs in `haystack` (non-overlapping).
    static func offsets(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard let first = needle.first, needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) {
                found.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}

/// Collects a response body into one buffer (the public pages are rendered whole, so this costs no streaming).
private struct BodyCollector: ResponseBodyWriter {
    final class Box: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    let box = Box()

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        box.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
