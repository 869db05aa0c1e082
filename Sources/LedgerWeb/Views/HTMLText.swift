import Foundation

/// HTML escaping as swift-mustache does it for `{{name}}` (`& < > " '`): the values `SharedPages` fills into a kept
/// page, and the labels of the server-drawn charts.
enum HTMLText {
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { "&<>\"'".contains($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for c in text {
            switch c {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(c)
            }
        }
        return result
    }
}
