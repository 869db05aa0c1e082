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

    /// Parses `multipart/form-data` with the given boundary (RFC 7578), keeping files as raw bytes.
    public static func multipart(_ buffer: ByteBuffer, boundary: String) -> FormData? {
        let body = Array(buffer.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        var form = FormData()
        var parts: [ArraySlice<UInt8>] = []
        var cursor = 0
        var previous: Int?
        while let found = body.firstRange(of: delimiter, from: cursor) {
            if let start = previous { parts.append(body[start..<found.lowerBound]) }
            previous = found.upperBound
            cursor = found.upperBound
        }
        guard !parts.isEmpty else { return nil }
        for var part in parts {
            // Each part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
            if part.starts(with: [13, 10]) { part = part.dropFirst(2) }
            if part.suffix(2).elementsEqual([13, 10]) { part = part.dropLast(2) }
            guard let split = Array(part).firstRange(of: [13, 10, 13, 10], from: 0) else { continue }
            let headerBytes = Array(part)[..<split.lowerBound]
            let content = Array(Array(part)[split.upperBound...])
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

extension Array where Element == UInt8 {
    func firstRange(of needle: [UInt8], from start: Int) -> Range<Int>? {
        guard needle.count > 0, count >= needle.count, start <= count - needle.count else { return nil }
        var i = start
        while i <= count - needle.count {
            if self[i] == needle[0] && self[i..<(i + needle.count)].elementsEqual(needle) { return i..<(i + needle.count) }
            i += 1
        }
        return nil
    }
}
