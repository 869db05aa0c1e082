import Foundation

/// A decision as the register's form (or a test, or the demo) submits it; `problems` returns every field error at once.
public struct OwnerDecisionInput: Sendable {
    public var kind: String
    public var decidedOn: String
    public var subject: String
    /// 同意面积 (m²) and 同意户数; required for a 业主大会 decision, optional for the 业委会, ignored for the 管理规约.
    public var votesArea: String
    public var votesHouseholds: String
    /// Yuan (`"50000.00"`); empty = no amount limit.
    public var amount: String
    public var validFrom: String
    /// Empty = open-ended.
    public var validUntil: String
    public var document: Complaints.Upload?

    public init(kind: String, decidedOn: String, subject: String, votesArea: String = "", votesHouseholds: String = "", amount: String = "",
                validFrom: String, validUntil: String = "", document: Complaints.Upload? = nil) {
        self.kind = kind
        self.decidedOn = decidedOn
        self.subject = subject
        self.votesArea = votesArea
        self.votesHouseholds = votesHouseholds
        self.amount = amount
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.document = document
    }

    /// From the register's form: `decisionKind`, `decisionDate`, `subject`, `votesArea`, `votesHouseholds`, `amount`, `validFrom`, `validUntil`.
    public init(form: [String: String], document: Complaints.Upload? = nil) {
        self.init(kind: form["decisionKind"] ?? "", decidedOn: form["decisionDate"] ?? "", subject: form["subject"] ?? "",
                  votesArea: form["votesArea"] ?? "", votesHouseholds: form["votesHouseholds"] ?? "", amount: form["amount"] ?? "",
                  validFrom: form["validFrom"] ?? "", validUntil: form["validUntil"] ?? "", document: document)
    }

    /// The checked values, ready to store.
    struct Checked {
        let kind: OwnerDecision.Kind
        let decidedOn: Day
        let subject: String
        let votesArea: Int64?
        let votesHouseholds: Int?
        let amount: Money?
        let validFrom: Day
        let validUntil: Day?
        let document: StoredFiles.Checked?
    }

    /// Every field error at once, against the estate's floor area and households and today's date; or the checked values.
    func check(floorArea: Int, households: Int, today: Day) -> (Checked?, FieldErrors) {
        var reader = InputReader()
        let kind = OwnerDecision.Kind(rawValue: self.kind.trimmingCharacters(in: .whitespaces))
        if kind == nil { reader.errors.add("decisionKind", code: "required", "请选择决议类型（业主大会决议、业委会决定或管理规约授权）") }
        let decided = reader.day(self.decidedOn, field: "decisionDate", label: "决议日期")
        if let decided, today < decided { reader.errors.add("decisionDate", code: "future_date", "决议日期不能晚于今天") }
        let subject = reader.text(self.subject, field: "subject", label: "决议事项", max: 200)
        func count(_ text: String, field: String, label: String, limit: Int, required: Bool) -> Int? {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                if required { reader.errors.add(field, code: "required", "业主大会决议须填写\(label)") }
                return nil
            }
            let before = reader.errors.items.count
            let value = reader.integer(text, field: field, label: label, range: 0...max(0, limit))
            return reader.errors.items.count == before ? value : nil
        }
        let voted = kind != .covenant
        let area = voted ? count(votesArea, field: "votesArea", label: "同意的专有部分面积（不超过小区建筑面积\(floorArea)平方米）",
                                 limit: floorArea, required: kind == .assembly) : nil
        let homes = voted ? count(votesHouseholds, field: "votesHouseholds", label: "同意户数（不超过小区户数\(households)户）",
                                  limit: households, required: kind == .assembly) : nil
        var amount: Money?
        if !self.amount.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Money.parse(self.amount) {
            case .success(let value) where value.fen > 0: amount = value
            case .success: reader.errors.add("amount", code: "not_positive", "授权金额应大于0；不限金额请留空")
            case .failure(let error): reader.errors.add("amount", code: error.code, error.message)
            }
        }
        let from = reader.day(self.validFrom, field: "validFrom", label: "有效期开始日期")
        let until = reader.day(self.validUntil, field: "validUntil", label: "有效期截止日期", required: false)
        if let from, let until, until < from { reader.errors.add("validUntil", code: "before_start", "有效期截止日期不能早于开始日期") }
        var document: StoredFiles.Checked?
        if let upload = self.document {
            do {
                document = try StoredFiles.check(filename: upload.filename, bytes: upload.bytes, label: "决议文件", field: "document")
            } catch let error as LedgerError {
                reader.errors.add(error)
            } catch {
                reader.errors.add("document", code: "unsupported_type", "决议文件无法识别")
            }
        }
        guard reader.errors.isEmpty, let kind, let decided, let from else { return (nil, reader.errors) }
        return (Checked(kind: kind, decidedOn: decided, subject: subject, votesArea: area.map(Int64.init), votesHouseholds: homes, amount: amount,
                        validFrom: from, validUntil: until, document: document), reader.errors)
    }
}
