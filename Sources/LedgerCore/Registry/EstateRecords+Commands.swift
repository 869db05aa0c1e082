import Foundation

/// 物业服务合同: which company manages an estate from when, as typed; validated in core.
public struct ContractInput: Sendable {
    /// The company's 统一社会信用代码 (or, from scripts, its id).
    public var company: String
    public var startDate: String
    public var endDate: String
    /// The official has seen that the company is black-listed (拟承接企业已列入黑名单) and records the contract anyway.
    public var acknowledgeBlackList: Bool

    public init(company: String, startDate: String, endDate: String = "", acknowledgeBlackList: Bool = false) {
        (self.company, self.startDate, self.endDate, self.acknowledgeBlackList) = (company, startDate, endDate, acknowledgeBlackList)
    }

    public struct Valid: Sendable {
        public let company: String
        public let start: Day
        public let end: Day?
    }

    /// Field errors keyed `company`, `startDate`, `endDate`.
    public func validated() throws -> Valid {
        var reader = InputReader()
        let company = InputReader.halfWidth(reader.text(self.company, field: "company", label: "物业服务企业", max: 20)).uppercased()
        let start = reader.day(self.startDate, field: "startDate", label: "合同开始日期")
        let end = reader.day(self.endDate, field: "endDate", label: "合同结束日期", required: false)
        if let start, let end, end < start { reader.errors.add("endDate", code: "end_before_start", "合同结束日期不能早于开始日期") }
        try reader.errors.throwIfAny()
        return Valid(company: company, start: start!, end: end)
    }
}

/// An owners' committee (or management committee) and its term, as typed; validated in core.
public struct CommitteeInput: Sendable {
    /// `业主委员会` or `物业管理委员会` (`Committee.Kind`'s raw values).
    public var kind: String
    public var chairName: String
    public var termStart: String
    public var termEnd: String

    public init(kind: String, chairName: String, termStart: String, termEnd: String) {
        (self.kind, self.chairName, self.termStart, self.termEnd) = (kind, chairName, termStart, termEnd)
    }

    public struct Valid: Sendable {
        public let kind: Committee.Kind
        public let chairName: String
        public let termStart: Day
        public let termEnd: Day
    }

    /// Field errors keyed `kind`, `chairName`, `termStart`, `termEnd`.
    public func validated() throws -> Valid {
        var reader = InputReader()
        let kindText = reader.text(self.kind, field: "kind", label: "组织类型", max: 10)
        let kind = Committee.Kind(rawValue: kindText)
        if !kindText.isEmpty, kind == nil {
            reader.errors.add("kind", code: "bad_kind", "组织类型应为“业主委员会”或“物业管理委员会”")
        }
        let chair = reader.text(self.chairName, field: "chairName", label: "主任姓名", max: 50)
        let start = reader.day(self.termStart, field: "termStart", label: "任期开始")
        let end = reader.day(self.termEnd, field: "termEnd", label: "任期届满")
        if let start, let end, end <= start { reader.errors.add("termEnd", code: "end_before_start", "任期届满日期须晚于任期开始日期") }
        try reader.errors.throwIfAny()
        return Valid(kind: kind!, chairName: chair, termStart: start!, termEnd: end!)
    }
}

/// 公共收益专户: the estate's dedicated account, as typed; validated in core.
public struct AccountInput: Sendable {
    public var bank: String
    public var accountNumber: String
    public var openedOn: String

    public init(bank: String, accountNumber: String, openedOn: String) {
        (self.bank, self.accountNumber, self.openedOn) = (bank, accountNumber, openedOn)
    }

    public struct Valid: Sendable {
        public let bank: String
        public let accountNumber: String
        public let openedOn: Day
    }

    /// Field errors keyed `bank`, `accountNumber`, `openedOn`.
    public func validated() throws -> Valid {
        var reader = InputReader()
        let bank = reader.text(self.bank, field: "bank", label: "开户银行", max: 100)
        let number = InputReader.halfWidth(reader.text(self.accountNumber, field: "accountNumber", label: "账号", max: 40))
            .replacingOccurrences(of: " ", with: "")
        if !number.isEmpty, !(8...32).contains(number.count) || !number.allSatisfy({ $0.isASCII && $0.isNumber }) {
            reader.errors.add("accountNumber", code: "bad_account", "账号应为8至32位数字")
        }
        let opened = reader.day(self.openedOn, field: "openedOn", label: "开户日期")
        try reader.errors.throwIfAny()
        return Valid(bank: bank, accountNumber: number, openedOn: opened!)
    }
}
