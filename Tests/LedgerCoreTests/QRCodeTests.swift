import Foundation
import LedgerCore
import Testing

@Suite struct QRCodeTests {
    // MARK: Known answers

    /// Reference symbols generated independently with the Python `qrcode` package (8.2):
    /// byte mode, level M, the given version, and `mask_pattern` forced to the mask this encoder
    /// picks. (Libraries differ in small details of the mask penalty rules, so the mask is fixed
    /// and checked separately; the encoder's penalty scores were also cross-checked against
    /// segno's `mask_scores` on whole symbols.) `#` = dark.
    static let helloWorldV1Mask3: [String] = [
        "#######.#...#.#######",
        "#.....#.#...#.#.....#",
        "#.###.#.......#.###.#",
        "#.###.#.#.#.#.#.###.#",
        "#.###.#..###..#.###.#",
        "#.....#...###.#.....#",
        "#######.#.#.#.#######",
        "........#####........",
        "#.##.###.#.##.#..#.##",
        ".##....#.#######.##..",
        ".....#####.#.#.#...##",
        "#.#.##.##..#...#.#.#.",
        "#...#.##.##.##....#.#",
        "........#.##..##..#.#",
        "#######.#.#######....",
        "#.....#.###..#.#.####",
        "#.###.#..#..#.#..#...",
        "#.###.#.###...#..###.",
        "#.###.#.##..#..#..#..",
        "#.....#..###.####...#",
        "#######.##.#.#.#.....",
    ]

    static let urlV7 = "http://127.0.0.1:8080/public/estates/1234?notice=2024-000118&lang=zh-CN&print=a4&channel=public-board&ref=7"
    static let urlV7Mask2: [String] = [
        "#######...##.##.##...#...#.##.#..#..#.#######",
        "#.....#..##.#.....##.#.##.#......#.#..#.....#",
        "#.###.#.#.#.#..#..#..#.####.######.#..#.###.#",
        "#.###.#.###...##.##.#.###.##..#..#.##.#.###.#",
        "#.###.#.####.....#..############..###.#.###.#",
        "#.....#.####.#.##.#.#...#..#...###....#.....#",
        "#######.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#######",
        "........#.##...######...#.#.##..##.##........",
        "#.#####...#.###...#######..#...#.##.#.#####..",
        "..##...##..####.###...#.#..#.###.#.##..######",
        "#.#####..#.####..#...###.###.#..#.##..###.##.",
        "#..#.#.#.#..#.#.##.##........#####..#..####..",
        "##..####.##....####.####...#.#.#..##.##.....#",
        "#.####..##.........###........####..#..##.#.#",
        ".#.#..##.#.........##..#####..###.#...##.###.",
        "##.#.#..#######...##.#.....###.##.#.#.#.###..",
        ".....##..#..#.#...##...#.###.....###..#....##",
        "..#.#.....##...##..###.#.#.#..#.##..##......#",
        "##.#.##......#.########.#.#..#.######.#.####.",
        "...##.....###..#.##....##...#..##...###.###..",
        "###.#####.##.#...#########.#.##..##.#####..##",
        "..###...#.#..##.#...#...#....##.#..##...#####",
        "...##.#.#.#.#.#.##..#.#.##..#..#..###.#.#.##.",
        "#.#.#...#.#..#..#...#...#...###.#...#...#####",
        "#...######..#...##..#####..#..##..#.######...",
        "####...##.##...##.######...#..#.##.####...#.#",
        "#....##.###.#######.##.#..####...##.##...###.",
        "#.#..#.....###.......#.##..#.#..#.....#..####",
        "#....##.##........####..#.#.#..#.#...##.##..#",
        "#.####.#.#.......#....#.#..###..##...###.#..#",
        ".#.########..#.###..#..####.#.###.##...#...#.",
        "...#.....##..#.####.....#.#.#.#.#..##.##.##.#",
        "...#..###.#.##.#.##.#..##..#.##..##..####....",
        "..#......#####.#.###.##.##....#.....###...#.#",
        "....#.#.#####.##......#...##.#....#......#.#.",
        ".####.....##.##..#..#######.#.#.##.####.#.#.#",
        "#..##.#####.#...#..######.##.#.#.##.#####..#.",
        "........#.#..########...###..###...##...#####",
        "#######..##.....#..##.#.#......#.####.#.#.##.",
        "#.....#.#...#.##....#...###.##.##.###...####.",
        "#.###.#.#.#.#######.########.###.#########.#.",
        "#.###.#.#...#.#..##...####.####..#.#..#.###.#",
        "#.###.#.#.#..####....#..#####.....###..#..##.",
        "#.....#....###.#.##.#.#..#....#.#.###...###..",
        "#######.#..##..#..##.#..#..#.###..#.#.#....#.",
    ]

    @Test func helloWorldMatchesReferenceSymbol() throws {
        let qr = try QRCode(bytes: Array("HELLO WORLD".utf8))
        #expect(qr.version == 1)
        #expect(qr.size == 21)
        #expect(qr.mask == 3)
        #expect(Self.rows(of: qr) == Self.helloWorldV1Mask3)
    }

    /// Version 7: three alignment positions per axis, four interleaved blocks, version information.
    @Test func version7URLMatchesReferenceSymbol() throws {
        let qr = try QRCode(text: Self.urlV7)
        #expect(qr.version == 7)
        #expect(qr.size == 45)
        #expect(qr.mask == 2)
        #expect(Self.rows(of: qr) == Self.urlV7Mask2)
    }

    @Test func smallestVersionThatFitsIsChosen() throws {
        // Byte-mode capacities at level M from ISO/IEC 18004, table 7.
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287]
        for (index, capacity) in capacities.enumerated() {
            #expect(try QRCode(bytes: Self.sample(length: capacity)).version == index + 1)
            #expect(try QRCode(bytes: Self.sample(length: capacity + 1)).version == index + 2)
        }
        #expect(try QRCode(bytes: []).version == 1)
        #expect(try QRCode(bytes: Self.sample(length: 2331)).version == 40)
    }

    @Test func refusesDataBeyondVersion40() {
        #expect(throws: QRCodeError.tooLong) { try QRCode(bytes: Self.sample(length: 2332)) }
        #expect(throws: QRCodeError.tooLong) { try QRCode(text: String(repeating: "公", count: 800)) }
    }

    @Test func outsideTheSymbolIsLight() throws {
        let qr = try QRCode(text: "HELLO WORLD")
        #expect(qr[0, 0] && qr[20, 0] && qr[0, 20])
        #expect(!qr[-1, 0] && !qr[0, -1] && !qr[21, 0] && !qr[0, 21])
    }

    // MARK: Decoding with zbarimg

    static let roundTripTexts: [String] = [
        "http://127.0.0.1:8080/public/estates/1234",
        "http://127.0.0.1:8080/public/estates/1234?lang=zh-CN&title=不动产登记公告",
        "不动产登记公告：北京市朝阳区建国路 88 号，权利人张三。",
        urlV7,
        "http://127.0.0.1:8080/public/estates/" + String(repeating: "9", count: 170),
        String(repeating: "公示期三十日。", count: 40),
    ]

    /// One URL per version 1…10, each exactly filling that version's capacity.
    @Test(arguments: 1...10)
    func decodesEveryVersion(version: Int) async throws {
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]
        let bytes = Self.sample(length: capacities[version - 1])
        let qr = try QRCode(bytes: bytes)
        #expect(qr.version == version)
        #expect(try await Self.zbarDecode(qr.png()) == bytes)
    }

    @Test(arguments: QRCodeTests.roundTripTexts)
    func decodesTexts(text: String) async throws {
        let qr = try QRCode(text: text)
        #expect(try await Self.zbarDecode(qr.png()) == Array(text.utf8))
        #expect(try await Self.zbarDecode(qr.png(moduleSize: 3, quietZone: 5)) == Array(text.utf8))
    }

    // MARK: Rendering

    @Test func svgIsInlineAndDrawsEveryDarkModule() throws {
        let qr = try QRCode(text: "HELLO WORLD")
        let svg = qr.svg(moduleSize: 5, quietZone: 2)
        #expect(svg.hasPrefix("<svg "))
        #expect(!svg.contains("<?xml"))
        #expect(svg.contains("width=\"125\" height=\"125\""))
        #expect(svg.contains("viewBox=\"0 0 25 25\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<path").count == 2)

        // Repaint the path's runs ("Mx yhNv1h-Nz") and compare with the modules.
        let data = try #require(svg.components(separatedBy: " d=\"").last?.components(separatedBy: "\"").first)
        var painted = Set<[Int]>()
        for run in data.split(separator: "M") {
            let numbers = run.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[3] == 1 && numbers[2] == numbers[4], "unexpected run \(run)")
            for dx in 0..<numbers[2] { painted.insert([numbers[0] - 2 + dx, numbers[1] - 2]) }
        }
        var dark = Set<[Int]>()
        for y in 0..<qr.size { for x in 0..<qr.size where qr[x, y] { dark.insert([x, y]) } }
        #expect(painted == dark)
    }

    @Test func pngHasExpectedHeader() throws {
        let png = try QRCode(text: "HELLO WORLD").png(moduleSize: 2, quietZone: 4)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(png[12..<16]) == Array("IHDR".utf8))
        #expect(Array(png[16..<29]) == [0, 0, 0, 58, 0, 0, 0, 58, 8, 0, 0, 0, 0]) // (21 + 8) × 2 pixels, 8-bit grey
        #expect(Array(png.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]) // IEND + its CRC
    }

    // MARK: Helpers

    static func rows(of qr: QRCode) -> [String] {
        (0..<qr.size).map { y in String((0..<qr.size).map { x in qr[x, y] ? "#" : "." }) }
    }

    /// `length` bytes of a URL-like ASCII string.
    static func sample(length: Int) -> [UInt8] {
        let prefix = Array("http://127.0.0.1:8080/public/estates/1234?page=".utf8)
        let filler = Array("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        return (0..<length).map { $0 < prefix.count ? prefix[$0] : filler[($0 - prefix.count) % filler.count] }
    }

    static let zbarimg = "/usr/bin/zbarimg"

    /// Decodes a PNG with zbarimg and returns the raw bytes of the symbol's data.
    /// `-Sbinary` stops zbar from guessing a character set: without it, a lone CJK character
    /// among ASCII is sometimes taken for Shift-JIS and transcoded.
    static func zbarDecode(_ png: [UInt8]) async throws -> [UInt8] {
        try #require(
            FileManager.default.isExecutableFile(atPath: zbarimg),
            "zbarimg not found at \(zbarimg): install the Debian package zbar-tools (`make test` does)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-test-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await ChildProcess.run(zbarimg, ["--quiet", "--raw", "-Sbinary", file.path])
        try #require(run.status == 0, "zbarimg found no QR code (exit status \(run.status))")
        return Array(run.output)
    }
}
