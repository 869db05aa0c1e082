import Foundation

/// Small SVG charts drawn on the server (no JavaScript, no third-party code): a line chart of rates over quarters,
/// vertical bars of counts, horizontal bars of rates. Every label is escaped.
enum Charts {
    static let palette = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e6c00"]

    static func escape(_ text: String) -> String { HTMLText.escaped(text) }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Rates (0…1) per label; a nil value leaves a gap in its line.
    static func lines(title: String, labels: [String], series: [(String, [Double?])], width: Double = 560, height: Double = 220) -> String {
        let left = 40.0, right = 26.0, top = 28.0, bottom = 34.0
        let plotW = width - left - right, plotH = height - top - bottom
        let step = labels.count > 1 ? plotW / Double(labels.count - 1) : 0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">"
        svg += "<title>\(escape(title))</title>"
        for tick in [0.0, 0.5, 1.0] {
            let y = top + plotH * (1 - tick)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" font-size=\"10\" text-anchor=\"end\">\(Int(tick * 100))%</text>"
        }
        for (index, label) in labels.enumerated() {
            svg += "<text x=\"\(f(left + step * Double(index)))\" y=\"\(f(height - bottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(escape(label))</text>"
        }
        for (seriesIndex, (name, values)) in series.enumerated() {
            let color = palette[seriesIndex % palette.count]
            var path = "", pen = false
            for (index, value) in values.enumerated() {
                guard let value else { pen = false; continue }
                let x = left + step * Double(index), y = top + plotH * (1 - min(max(value, 0), 1))
                path += "\(pen ? "L" : "M")\(f(x)) \(f(y)) "
                pen = true
                svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"2.5\" fill=\"\(color)\"><title>\(escape(name)) \(escape(labels[index])) \(f(value * 100))%</title></circle>"
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg += "<rect x=\"\(f(left + Double(seriesIndex) * 130))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(f(left + Double(seriesIndex) * 130 + 14))\" y=\"17\" font-size=\"11\">\(escape(name))</text>"
        }
        return svg + "</svg>"
    }

    /// Counts per label as horizontal bars, for labels too long to stand under a column (「W01 逾期未公示」).
    static func counts(title: String, items: [(String, Int)], width: Double = 560) -> String {
        let row = 20.0, left = 150.0, right = 40.0
        let height = Double(max(1, items.count)) * row + 20
        let plotW = width - left - right
        let peak = Double(max(1, items.map(\.1).max() ?? 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">"
        svg += "<title>\(escape(title))</title>"
        for (index, (label, value)) in items.enumerated() {
            let y = 10 + row * Double(index), w = plotW * Double(value) / peak
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 13))\" font-size=\"11\" text-anchor=\"end\">\(escape(label))</text>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(y + 3))\" width=\"\(f(w))\" height=\"\(f(row - 6))\" fill=\"\(palette[0])\"><title>\(escape(label)) \(value)</title></rect>"
            svg += "<text x=\"\(f(left + w + 4))\" y=\"\(f(y + 13))\" font-size=\"10\">\(value)</text>"
        }
        return svg + "</svg>"
    }

    /// Rates (0…1) per label as horizontal bars; a nil rate is drawn as "—".
    static func horizontal(title: String, items: [(String, Double?)], target: Double?, width: Double = 560) -> String {
        let row = 20.0, left = 110.0, right = 50.0
        let height = Double(max(1, items.count)) * row + 20
        let plotW = width - left - right
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">"
        svg += "<title>\(escape(title))</title>"
        for (index, (label, value)) in items.enumerated() {
            let y = 10 + row * Double(index)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 13))\" font-size=\"11\" text-anchor=\"end\">\(escape(label))</text>"
            if let value {
                svg += "<rect x=\"\(f(left))\" y=\"\(f(y + 3))\" width=\"\(f(plotW * min(max(value, 0), 1)))\" height=\"\(f(row - 6))\" fill=\"\(palette[0])\"/>"
                svg += "<text x=\"\(f(left + plotW * min(max(value, 0), 1) + 4))\" y=\"\(f(y + 13))\" font-size=\"10\">\(f(value * 100))%</text>"
            } else {
                svg += "<text x=\"\(f(left + 4))\" y=\"\(f(y + 13))\" font-size=\"10\">—</text>"
            }
        }
        if let target {
            let x = left + plotW * target
            svg += "<line x1=\"\(f(x))\" y1=\"6\" x2=\"\(f(x))\" y2=\"\(f(height - 6))\" stroke=\"\(palette[1])\" stroke-dasharray=\"4 3\"><title>目标 \(f(target * 100))%</title></line>"
        }
        return svg + "</svg>"
    }
}
