import Foundation

/// The password rules (等保 level 3): at least 10 characters, at most 72 bytes (bcrypt reads no further), not containing
/// the username, not one of the 1,000 most common passwords.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumBytes = 72

    /// Every reason the password is refused, in Chinese (empty when it is acceptable).
    public static func problems(_ password: String, username: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength { problems.append("密码至少\(minimumLength)位") }
        if password.utf8.count > maximumBytes {
            problems.append("密码不能超过\(maximumBytes)字节（约\(maximumBytes)个英文字符或24个汉字），超出部分不会被校验")
        }
        let lower = password.lowercased()
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        if name.count >= 3 && lower.contains(name) { problems.append("密码不能包含用户名") }
        if CommonPasswords.list.contains(lower) { problems.append("该密码过于常见，容易被猜中，请换一个") }
        if !password.contains(where: \.isLetter) || !password.contains(where: \.isNumber) { problems.append("密码须同时包含字母和数字") }
        return problems
    }

    /// The first problem, or nil.
    public static func problem(_ password: String, username: String) -> String? {
        problems(password, username: username).first
    }
}
