import Foundation

/// 存疑: an owner's question about a published quarter, as typed; validated in core.
public struct QuestionInput: Sendable {
    /// The quarter as `2024Q3`.
    public var quarter: String
    public var item: String
    public var content: String

    public init(quarter: String, item: String, content: String) {
        (self.quarter, self.item, self.content) = (quarter, item, content)
    }

    public struct Valid: Sendable {
        public let quarter: Quarter
        public let item: String
        public let content: String
    }

    /// Field errors keyed `quarter`, `item`, `content`.
    public func validated() throws -> Valid {
        var reader = InputReader()
        let period = reader.text(self.quarter, field: "quarter", label: "季度", max: 10)
        let item = reader.text(self.item, field: "item", label: "存疑项目", max: 100)
        let content = reader.text(self.content, field: "content", label: "疑问内容", max: 1_000)
        let parts = period.split(separator: "Q")
        let quarter = parts.count == 2 ? Int(parts[0]).flatMap { y in Int(parts[1]).flatMap { Quarter(year: y, quarter: $0) } } : nil
        if quarter == nil && !period.isEmpty { reader.errors.add("quarter", code: "bad_quarter", "请选择已公示的季度") }
        try reader.errors.throwIfAny()
        return Valid(quarter: quarter!, item: item, content: content)
    }
}

/// The company's public answer to a question; validated in core.
public struct AnswerInput: Sendable {
    public var answer: String

    public init(answer: String) { self.answer = answer }

    /// The trimmed answer, or a field error keyed `answer`.
    public func validated() throws -> String {
        var reader = InputReader()
        let answer = reader.text(self.answer, field: "answer", label: "答复", max: 2_000)
        try reader.errors.throwIfAny()
        return answer
    }
}
