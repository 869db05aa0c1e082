// Module matrix construction for QR codes: function patterns, format and version
// information, zig-zag data placement, masking and the mask penalty score
// (ISO/IEC 18004, 7.6–7.10).

struct QRMatrix {
    let version: Int
    let size: Int
    /// Row-major, `true` = dark.
    var modules: [Bool]
    /// Row-major, `true` for modules that belong to function patterns (not masked, no data).
    var isFunction: [Bool]

    init(version: Int) {
        precondition((1...40).contains(version))
        self.version = version
        self.size = 17 + 4 * version
        self.modules = Array(repeating: false, count: size * size)
        self.isFunction = Array(repeating: false, count: size * size)
    }

    func get(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: Function patterns

    /// Centre coordinates of alignment patterns along one axis (`[]` for version 1).
    static func alignmentPositions(version: Int) -> [Int] {
        if version == 1 { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var positions = [6]
        for i in 0..<(count - 1) {
            positions.insert(size - 7 - i * step, at: 1)
        }
        return positions
    }

    mutating func drawFunctionPatterns() {
        // Timing patterns (row 6 and column 6).
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        // Finder patterns with separators, in three corners.
        drawFinder(centerX: 3, centerY: 3)
        drawFinder(centerX: size - 4, centerY: 3)
        drawFinder(centerX: 3, centerY: size - 4)
        // Alignment patterns, except where they would overlap the finders.
        let positions = QRMatrix.alignmentPositions(version: version)
        let last = positions.count - 1
        for (i, cx) in positions.enumerated() {
            for (j, cy) in positions.enumerated() {
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                drawAlignment(centerX: cx, centerY: cy)
            }
        }
        // Reserve format areas (real bits are drawn after masking) and the dark module.
        drawFormatBits(mask: 0)
        drawVersion()
    }

    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx, y = centerY + dy
                guard x >= 0, y >= 0, x < size, y < size else { continue }
                let distance = max(abs(dx), abs(dy)) // Chebyshev distance from the centre
                setFunction(x, y, distance != 2 && distance != 4)
            }
        }
    }

    private mutating func drawAlignment(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(centerX + dx, centerY + dy, max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// 15-bit format information for level M (bits 00) and `mask`: BCH(15,5), XOR 0x5412.
    static func formatBits(mask: Int) -> Int {
        let data = (0b00 << 3) | mask // error-correction level M = 00
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return ((data << 10) | remainder) ^ 0x5412
    }

    /// Draws both copies of the format information, and the dark module.
    mutating func drawFormatBits(mask: Int) {
        let bits = QRMatrix.formatBits(mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // First copy, around the top-left finder.
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        // Second copy, split between the top-right and bottom-left finders.
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true) // the dark module
    }

    /// 18-bit version information (versions ≥ 7): BCH(18,6) with generator 0x1F25.
    static func versionBits(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return (version << 12) | remainder
    }

    private mutating func drawVersion() {
        guard version >= 7 else { return }
        let bits = QRMatrix.versionBits(version: version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3
            let b = i / 3
            setFunction(a, b, dark) // top-right block
            setFunction(b, a, dark) // bottom-left block
        }
    }

    // MARK: Data placement

    /// Places the codewords in the two-module-wide zig-zag columns, right to left,
    /// skipping the vertical timing column. Leftover (remainder) modules stay light.
    mutating func placeData(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for j in 0..<2 {
                    let x = right - j
                    let index = y * size + x
                    if !isFunction[index] && bitIndex < totalBits {
                        modules[index] = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
            }
            right -= 2
        }
        precondition(bitIndex == totalBits)
    }

    // MARK: Masking

    static func maskBit(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        case 7: return ((x + y) % 2 + x * y % 3) % 2 == 0
        default: preconditionFailure("mask must be 0…7")
        }
    }

    /// XORs the data modules with mask pattern `mask` (applying it twice undoes it).
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && QRMatrix.maskBit(mask, x: x, y: y) {
                modules[y * size + x].toggle()
            }
        }
    }

    /// Tries all eight masks, keeps the one with the lowest penalty (lowest number on ties).
    /// Each candidate is scored as the finished symbol, format information included (as ZXing
    /// and Nayuki's encoder do; some libraries score before writing it, so their pick can differ —
    /// any mask decodes the same).
    mutating func applyBestMask() -> Int {
        var best = 0
        var bestPenalty = Int.max
        for mask in 0..<8 {
            applyMask(mask)
            drawFormatBits(mask: mask)
            let penalty = penaltyScore()
            if penalty < bestPenalty {
                best = mask
                bestPenalty = penalty
            }
            applyMask(mask) // undo
        }
        applyMask(best)
        drawFormatBits(mask: best)
        return best
    }

    // MARK: Penalty score (ISO/IEC 18004, 7.8.3.1)

    func penaltyScore() -> Int {
        var score = 0
        var line = [Bool](repeating: false, count: size)
        for y in 0..<size {
            for x in 0..<size { line[x] = get(x, y) }
            score += QRMatrix.linePenalty(line)
        }
        for x in 0..<size {
            for y in 0..<size { line[y] = get(x, y) }
            score += QRMatrix.linePenalty(line)
        }
        // N2: each 2×2 block of one colour scores 3.
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = get(x, y)
                if c == get(x + 1, y) && c == get(x, y + 1) && c == get(x + 1, y + 1) { score += 3 }
            }
        }
        // N4: 10 points for every full 5 % that the dark proportion deviates from 50 %.
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        let deviationTimes20 = abs(dark * 20 - total * 10) // = |dark/total − ½| × 20 × total
        score += 10 * (deviationTimes20 / total)
        return score
    }

    /// N1 (runs of ≥ 5 same-coloured modules: 3 + (length − 5)) and N3 (1:1:3:1:1 finder-like
    /// pattern with 4 light modules before or after it: 40; outside the symbol counts as light)
    /// for one row or column.
    static func linePenalty(_ line: [Bool]) -> Int {
        let n = line.count
        var score = 0
        var runStart = 0
        for i in 1...n {
            if i == n || line[i] != line[runStart] {
                let length = i - runStart
                if length >= 5 { score += 3 + (length - 5) }
                runStart = i
            }
        }
        func light(_ from: Int, _ to: Int) -> Bool { // half-open range, outside = light
            var i = from
            while i < to {
                if i >= 0 && i < n && line[i] { return false }
                i += 1
            }
            return true
        }
        let pattern: [Bool] = [true, false, true, true, true, false, true]
        if n >= 7 {
            for start in 0...(n - 7) {
                var matches = true
                for k in 0..<7 where line[start + k] != pattern[k] {
                    matches = false
                    break
                }
                if matches && (light(start - 4, start) || light(start + 7, start + 11)) { score += 40 }
            }
        }
        return score
    }
}
