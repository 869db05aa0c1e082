// A self-contained QR code encoder (ISO/IEC 18004): byte mode, error-correction level M,
// versions 1–40, automatic choice of the smallest version that fits and of the mask with
// the lowest penalty score. No third-party code.

public enum QRCodeError: Error, Sendable, Equatable {
    /// The data does not fit in the largest supported version at error-correction level M.
    case tooLong
}

public struct QRCode: Sendable {
    /// Number of modules along each side (17 + 4 × version).
    public let size: Int
    /// QR version, 1…40.
    public let version: Int
    /// The data mask pattern (0…7) that was applied.
    public let mask: Int
    /// Row-major modules, `true` = dark.
    let modules: [Bool]

    /// Largest version this encoder produces.
    public static let maxVersion = 40

    /// Whether the module at column `x`, row `y` is dark. Coordinates outside the symbol
    /// (e.g. in the quiet zone) are light.
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Encodes the UTF-8 bytes of `text`.
    public init(text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    /// Encodes `bytes` in byte mode at error-correction level M, in the smallest version
    /// that fits, with the mask that has the lowest penalty score.
    public init(bytes: [UInt8]) throws {
        try self.init(bytes: bytes, forcedMask: nil)
    }

    /// `forcedMask` (0…7) skips the mask evaluation; used to compare against reference symbols.
    init(bytes: [UInt8], forcedMask: Int?) throws {
        guard let version = (1...QRCode.maxVersion).first(where: { QRCode.byteCapacity(version: $0) >= bytes.count }) else {
            throw QRCodeError.tooLong
        }
        let dataCodewords = QRCode.encodeData(bytes, version: version)
        let codewords = QRCode.addErrorCorrectionAndInterleave(dataCodewords, version: version)
        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeData(codewords)
        if let forcedMask {
            matrix.applyMask(forcedMask)
            matrix.drawFormatBits(mask: forcedMask)
            self.mask = forcedMask
        } else {
            self.mask = matrix.applyBestMask()
        }
        self.version = version
        self.size = matrix.size
        self.modules = matrix.modules
    }

    // MARK: Capacity tables (error-correction level M)

    /// Error-correction codewords per block, level M, indexed by version (index 0 unused).
    static let eccCodewordsPerBlock: [Int] = [
        -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    /// Number of error-correction blocks, level M, indexed by version (index 0 unused).
    static let errorCorrectionBlocks: [Int] = [
        -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    /// Modules available for data + error correction codewords (including remainder bits).
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentCount = version / 7 + 2
            result -= (25 * alignmentCount - 10) * alignmentCount - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    static func dataCodewords(version: Int) -> Int {
        totalCodewords(version: version) - eccCodewordsPerBlock[version] * errorCorrectionBlocks[version]
    }

    static func characterCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Maximum number of bytes in byte mode at level M.
    public static func byteCapacity(version: Int) -> Int {
        (dataCodewords(version: version) * 8 - 4 - characterCountBits(version: version)) / 8
    }

    // MARK: Data encoding

    static func encodeData(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let capacityBits = dataCodewords(version: version) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4) // byte mode
        bits.append(bytes.count, count: characterCountBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        precondition(bits.count <= capacityBits)
        bits.append(0, count: min(4, capacityBits - bits.count)) // terminator
        bits.append(0, count: (8 - bits.count % 8) % 8)           // pad to a byte boundary
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacityBits / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords, and
    /// interleaves: all blocks' data codewords column by column, then all ECC codewords.
    static func addErrorCorrectionAndInterleave(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = errorCorrectionBlocks[version]
        let eccLength = eccCodewordsPerBlock[version]
        let total = totalCodewords(version: version)
        let shortBlockCount = blockCount - total % blockCount
        let shortBlockDataLength = total / blockCount - eccLength
        precondition(data.count == total - eccLength * blockCount)

        let generator = ReedSolomon.generator(degree: eccLength)
        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for i in 0..<blockCount {
            let length = shortBlockDataLength + (i < shortBlockCount ? 0 : 1)
            let block = Array(data[offset..<offset + length])
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, generator: generator))
        }

        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0...shortBlockDataLength { // long blocks have one more codeword
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<eccLength {
            for block in eccBlocks { result.append(block[i]) }
        }
        precondition(result.count == total)
        return result
    }
}

/// Accumulates bits most-significant first.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        precondition(bitCount >= 0 && bitCount <= 31 && value >> bitCount == 0)
        for i in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> i) & 1 == 1 { bytes[bytes.count - 1] |= UInt8(0x80 >> (count % 8)) }
            count += 1
        }
    }
}
