import Foundation
/// 统一社会信用代码: the 18-character unified social credit code of GB 32100-2015.
public enum USCC {
    /// The code's alphabet: digits and capital letters without I, O, Z, S, V.
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why a code is not valid, in Chinese; `nil` when it is valid.
    public static func problem(with code: String) -> String? {
        let chars = Array(code)
        guard chars.count == 18 else { return "统一社会信用代码应为18位，当前为\(chars.count)位" }
        var sum = 0
        for (index, char) in chars.prefix(17).enumerated() {
            guard let value = alphabet.firstIndex(of: char) else {
                return "统一社会信用代码第\(index + 1)位“\(char)”不是有效字符（只能是数字和除I、O、Z、S、V外的大写字母）"
            }
            sum += value * weights[index]
        }
        let expected = alphabet[(31 - sum % 31) % 31]
        guard chars[17] == expected else {
            return "统一社会信用代码校验位错误：第18位应为“\(expected)”，实际为“\(chars[17])”，请核对是否录入有误"
        }
        return nil
    }

    public static func isValid(_ code: String) -> Bool { problem(with: code) == nil }

    /// Completes a 17-character body with its check character (used by the demo generator).
    public static func withCheckCharacter(_ body: String) -> String {
        let chars = Array(body)
        precondition(chars.count == 17)
        var sum = 0
        for (index, char) in chars.enumerated() { sum += alphabet.firstIndex(of: char)! * weights[index] }
        return body + String(alphabet[(31 - sum % 31) % 31])
    }
}
