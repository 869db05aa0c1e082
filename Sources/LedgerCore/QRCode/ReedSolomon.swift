// Reed–Solomon error correction over GF(256) as used by QR codes (ISO/IEC 18004, 7.5.2).
// Field: GF(2^8) with primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), generator element α = 2.

enum GF256 {
    /// exp[i] = α^i for i in 0..<510 (doubled so products need no modulo), log[exp[i]] = i.
    static let tables: (exp: [UInt8], log: [Int]) = {
        var exp = [UInt8](repeating: 0, count: 510)
        var log = [Int](repeating: 0, count: 256)
        var value = 1
        for i in 0..<255 {
            exp[i] = UInt8(value)
            log[value] = i
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        for i in 255..<510 { exp[i] = exp[i - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        let t = tables
        return t.exp[t.log[Int(a)] + t.log[Int(b)]]
    }
}

enum ReedSolomon {
    /// Coefficients of the generator polynomial (x - α^0)(x - α^1)…(x - α^(degree-1)),
    /// highest power first, with the leading 1 omitted (so `degree` entries).
    static func generator(degree: Int) -> [UInt8] {
        precondition(degree >= 1 && degree <= 255)
        var poly = [UInt8](repeating: 0, count: degree)
        poly[degree - 1] = 1 // start with the constant polynomial 1 (stored at the low end)
        var root: UInt8 = 1
        for _ in 0..<degree {
            // Multiply current polynomial by (x - root), i.e. (x + root) in GF(2^8).
            for j in 0..<degree {
                poly[j] = GF256.multiply(poly[j], root)
                if j + 1 < degree { poly[j] ^= poly[j + 1] }
            }
            root = GF256.multiply(root, 2)
        }
        return poly
    }

    /// The `generator.count` error-correction codewords for `data`: the remainder of
    /// data(x)·x^n divided by the generator polynomial.
    static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result[0]
            result.removeFirst()
            result.append(0)
            for i in 0..<result.count {
                result[i] ^= GF256.multiply(generator[i], factor)
            }
        }
        return result
    }
}
