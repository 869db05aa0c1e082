/// What the platform's printed letters share with the official document format (公文, GB/T 9704): the issuing date
/// under the signature written out in Chinese numerals.
public enum Gongwen {
    static let digits: [Character] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 成文日期: 2026-12-03 → 二〇二六年十二月三日 (the year digit by digit, month and day as numbers: 十、十一、二十、三十一).
    public static func date(_ day: Day) -> String {
        let year = String(String(day.year).compactMap { $0.wholeNumberValue.map { digits[$0] } })
        return "\(year)年\(number(day.month))月\(number(day.day))日"
    }

    /// 1–99 as written in a date: 一, 十, 十二, 二十, 二十一.
    static func number(_ n: Int) -> String {
        let tens = n / 10, ones = n % 10
        let head = tens == 0 ? "" : (tens == 1 ? "十" : "\(digits[tens])十")
        return head + (ones == 0 && tens > 0 ? "" : String(digits[ones]))
    }

    /// `2026-12-03` (as stored) in Chinese numerals, or the text unchanged when it is not a date.
    public static func date(_ text: String) -> String { Day(text).map { date($0) } ?? text }
}
