// Rendering of a QRCode as inline SVG or as a PNG image, both written by hand:
// the PNG writer emits 8-bit greyscale with an uncompressed (stored) zlib stream.

extension QRCode {
    /// An `<svg>` element (no XML prolog, so it can be inlined in HTML): a white background
    /// and one black `<path>` made of horizontal runs of dark modules. Coordinates are in
    /// modules; `width`/`height` are `moduleSize` pixels per module, quiet zone included.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let moduleSize = max(1, moduleSize)
        let quietZone = max(0, quietZone)
        let dimension = size + 2 * quietZone
        let pixels = dimension * moduleSize
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else {
                    x += 1
                    continue
                }
                var run = 1
                while x + run < size && self[x + run, y] { run += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(pixels)\" height=\"\(pixels)\" "
            + "viewBox=\"0 0 \(dimension) \(dimension)\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(dimension)\" height=\"\(dimension)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// A PNG image (8-bit greyscale, black modules on white), `moduleSize` pixels per module
    /// with a `quietZone`-module white border.
    public func png(moduleSize: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let moduleSize = max(1, moduleSize)
        let quietZone = max(0, quietZone)
        let width = (size + 2 * quietZone) * moduleSize

        // Raw scanlines: filter type 0 (None) followed by one byte per pixel.
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * width)
        for py in 0..<width {
            raw.append(0)
            let y = py / moduleSize - quietZone
            for px in 0..<width {
                let x = px / moduleSize - quietZone
                raw.append(self[x, y] ? 0x00 : 0xFF)
            }
        }

        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(width))
        header += [8, 0, 0, 0, 0] // bit depth 8, colour type 0 (greyscale), deflate, filter 0, no interlace

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        PNGWriter.appendChunk("IHDR", header, to: &png)
        PNGWriter.appendChunk("IDAT", PNGWriter.zlibStored(raw), to: &png)
        PNGWriter.appendChunk("IEND", [], to: &png)
        return png
    }
}

enum PNGWriter {
    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4)
        png.appendBigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png.appendBigEndian(crc32(typeBytes + data))
    }

    /// A zlib stream (RFC 1950) holding `data` in stored deflate blocks (RFC 1951, BTYPE 00).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01] // deflate, 32 KiB window, no dictionary; (0x7801 % 31 == 0)
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isFinal = offset + length == data.count
            out.append(isFinal ? 1 : 0) // BFINAL, BTYPE = 00; rest of the byte is padding
            out.append(UInt8(length & 0xFF))
            out.append(UInt8(length >> 8))
            out.append(UInt8(~length & 0xFF))
            out.append(UInt8((~length >> 8) & 0xFF))
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        out.appendBigEndian(adler32(data))
        return out
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320) as used by PNG.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Adler-32 checksum (RFC 1950).
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            let end = min(index + 5552, bytes.count) // largest run before the sums could overflow
            while index < end {
                a += UInt32(bytes[index])
                b += a
                index += 1
            }
            a %= 65_521
            b %= 65_521
        }
        return (b << 16) | a
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }
}
