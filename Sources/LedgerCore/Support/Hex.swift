import Foundation

/// Lower-case hexadecimal text of bytes, and back. Every hash, token and tag the application shows or stores goes through
/// here: `String(format: "%02x")` per byte went through Foundation's formatter and a dynamic cast per byte, and was 41% of
/// a log proof's CPU (issue #16, DEVELOPERS.md → Benchmark).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex, two digits per byte.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The bytes of `text` (upper or lower case ASCII hex digits, an even number of them), or nil.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// `count` random bytes as hex (session ids, form tokens).
    public static func random<Generator: RandomNumberGenerator>(bytes count: Int, using generator: inout Generator) -> String {
        encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return random(bytes: count, using: &generator)
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Data {
    public var hex: String { Hex.encode(self) }

    /// Full-width digits and other non-ASCII text are refused (Character.isHexDigit would accept them).
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }
}
