import Foundation
import NIOCore

/// Fields of a submitted form, and any uploaded file.
public struct FormData: Sendable {
    public struct File: Sendable {
        public let field: String
        public let filename: String
        public let contentType: String
        public let data: [UInt8]
    }

    public var fields: [String: String] = [:]
    /// Repeated fields (`line[]`) in order.
    public var lists: [String: [String]] = [:]
    public var files: [File] = []

    public init() {}

    public subscript(_ name: String) -> String? { fields[name] }

    /// Parses `application/x-www-form-urlencoded`.
    public static func urlEncoded(_ buffer: ByteBuffer) -> FormData {
        var form = FormData()
        let text = String(buffer: buffer)
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            form.add(key, value)
        }
        return form
    }

    mutating func add(_ key: String, _ value: String) {
        if fields[key] == nil { fields[key] = value }
        lists[key, default: []].append(value)
    }

    private static func decode(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    /// The longest boundary RFC 2046 §5.1.1 allows.
    public static let maxBoundaryLength = 70

    /// The `boundary` parameter of a `multipart/form-data` content type, or nil when it is missing, empty, longer than
    /// 70 characters or made of characters RFC 2046 does not allow (such a request is refused before its body is read).
    public static func boundary(inContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
            guard (1...maxBoundaryLength).contains(value.count), value.allSatisfy(allowed.contains), value.last != " " else { return nil }
            return value
        }
        return nil
    }

    /// Parses `multipart/form-data` with the given boundary (RFC 7578), keeping files as raw bytes.
    public static func multipart(_ buffer: ByteBuffer, boundary: String) -> FormData? {
        var work = 0
        return multipart(buffer, boundary: boundary, work: &work)
    }

    /// The same, counting the byte comparisons it made in `work`: the search is linear in the body whatever the
    /// boundary (Knuth–Morris–Pratt), so a hostile body of dash runs costs no more than a plain one.
    static func multipart(_ buffer: ByteBuffer, boundary: String, work: inout Int) -> FormData? {
        guard !boundary.isEmpty, boundary.utf8.count <= maxBoundaryLength else { return nil }
        let body = Array(buffer.readableBytesView)
        let delimiter = BytePattern(Array("--\(boundary)".utf8))
        var form = FormData()
        var parts: [ArraySlice<UInt8>] = []
        var cursor = 0
        var previous: Int?
        while let found = delimiter.firstRange(in: body, from: cursor, work: &work) {
            if let start = previous { parts.append(body[start..<found.lowerBound]) }
            previous = found.upperBound
            cursor = found.upperBound
        }
        guard !parts.isEmpty else { return nil }
        let separator = BytePattern([13, 10, 13, 10])
        for var part in parts {
            // Each part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
            if part.starts(with: [13, 10]) { part = part.dropFirst(2) }
            if part.suffix(2).elementsEqual([13, 10]) { part = part.dropLast(2) }
            let bytes = Array(part)
            guard let split = separator.firstRange(in: bytes, from: 0, work: &work) else { continue }
            let headerBytes = bytes[..<split.lowerBound]
            let content = Array(bytes[split.upperBound...])
            let headers = String(decoding: headerBytes, as: UTF8.self).components(separatedBy: "\r\n")
            var name: String?, filename: String?, contentType = "application/octet-stream"
            for header in headers {
                let lower = header.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = attribute("name", in: header)
                    filename = attribute("filename", in: header)
                } else if lower.hasPrefix("content-type:") {
                    contentType = header.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { continue }
            if let filename {
                form.files.append(File(field: name, filename: filename, contentType: contentType, data: content))
            } else {
                form.add(name, String(decoding: content, as: UTF8.self))
            }
        }
        return form
    }

    private static func attribute(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "; \(key)=\"") else { return nil }
        let rest = header[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

/// A byte string searched for in linear time (Knuth–Morris–Pratt): each body byte is compared at most twice.
struct BytePattern {
    let needle: [UInt8]
    /// `failure[i]`: the length of the longest proper prefix of `needle[0...i]` that is also its suffix.
    let failure: [Int]

    init(_ needle: [UInt8]) {
        self.needle = needle
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in needle.indices.dropFirst() {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        self.failure = failure
    }

    func firstRange(in haystack: [UInt8], from start: Int, work: inout Int) -> Range<Int>? {
        guard !needle.isEmpty, start < haystack.count else { return nil }
        var matched = 0
        var i = start
        while i < haystack.count {
            work += 1
            if haystack[i] == needle[matched] {
                matched += 1
                i += 1
                if matched == needle.count { return (i - matched)..<i }
            } else if matched > 0 {
                matched = failure[matched - 1]
            } else {
                i += 1
            }
        }
        return nil
    }
}
