import Foundation
/// The checks of docs/design.md §5.2. `parse` refuses what is malformed in any draft (each amount, category, date and
/// length); `checkPublishable` adds what a published version must satisfy (complete, balanced, displayed 30 days).
/// What is well-formed but wrong in substance passes: the warning rules flag it.
public enum DisclosureChecks {
    public static let maxLines = 200
    public static let minimumDisplayDays = 30

    /// The typed content of a document, or every format error with its field path (`income.0.amount`).
    public static func parse(_ document: DisclosureDocument, draft: Bool = false) throws -> DisclosureContent {
        var errors = FieldErrors()
        var content = DisclosureContent()
        func money(_ text: String, _ field: String) -> Money? {
            // A draft may leave an amount for later; a published version may not.
            if draft && text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            switch Money.parse(text) {
            case .success(let value): return value
            case .failure(let error): errors.add(field, code: error.code, error.message); return nil
            }
        }
        func text(_ value: String, _ field: String, _ label: String, max: Int, required: Bool = false) -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count > max { errors.add(field, code: "too_long", "\(label)不能超过\(max)个字符") }
            if InputReader.hasControlCharacters(trimmed) { errors.add(field, code: "bad_char", "\(label)不能包含控制字符") }
            if required && trimmed.isEmpty { errors.add(field, code: "required", "请填写\(label)") }
            return trimmed
        }
        func day(_ value: String, _ field: String, _ label: String) -> Day? {
            if draft && value.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            guard let day = Day(InputReader.halfWidth(value.trimmingCharacters(in: .whitespaces))) else {
                errors.add(field, code: "bad_date", "\(label)应为有效日期，格式如 2024-07-05")
                return nil
            }
            return day
        }
        for (name, count) in [("income", document.income.count), ("costs", document.costs.count), ("expenditures", document.expenditures.count)]
        where count > maxLines {
            errors.add(name, code: "too_many_lines", "每类最多\(maxLines)行")
        }
        for (i, line) in document.income.enumerated() {
            let category = IncomeCategory(rawValue: line.category)
            if category == nil {
                errors.add("income.\(i).category", code: "unknown_category", "未知的收入类别“\(line.category)”，应为停车费、电梯广告等统一类别之一")
            }
            let description = text(line.description, "income.\(i).description", "收入说明", max: 200)
            if let amount = money(line.amount, "income.\(i).amount"), let category {
                content.income.append(.init(category: category, description: description, amount: amount))
            }
        }
        for (i, line) in document.costs.enumerated() {
            let description = text(line.description, "costs.\(i).description", "成本说明", max: 200, required: true)
            if let amount = money(line.amount, "costs.\(i).amount") { content.costs.append(.init(description: description, amount: amount)) }
        }
        for (i, line) in document.expenditures.enumerated() {
            let description = text(line.description, "expenditures.\(i).description", "支出说明", max: 200, required: true)
            let decision = text(line.decision, "expenditures.\(i).decision", "决议依据", max: 200)
            if let amount = money(line.amount, "expenditures.\(i).amount") {
                content.expenditures.append(.init(description: description, amount: amount, decision: decision))
            }
        }
        if let distribution = document.distribution {
            content.ownersShare = money(distribution.ownersShare, "distribution.ownersShare")
            content.companyShare = money(distribution.companyShare, "distribution.companyShare")
            content.ratioDecision = text(distribution.decision ?? "", "distribution.decision", "分配比例决议依据", max: 200)
        }
        if let transfer = document.transfer {
            content.transferAmount = money(transfer.amount, "transfer.amount")
            content.transferDate = day(transfer.date, "transfer.date", "转存日期")
            let target = (transfer.target ?? "").trimmingCharacters(in: .whitespaces)
            if let known = target.isEmpty ? .dedicated : SurplusAccount(rawValue: target) {
                content.transferTarget = known
            } else {
                errors.add("transfer.target", code: "unknown_target", "转存账户应为公共收益专户（dedicated）或维修资金专户（maintenance_fund）")
            }
        }
        if let opening = document.openingBalance { content.openingBalance = money(opening, "openingBalance") }
        if let closing = document.closingBalance, !closing.isEmpty { _ = money(closing, "closingBalance") }
        if let contact = document.contact {
            content.contactName = text(contact.name, "contact.name", "联系人", max: 50)
            content.contactPhone = text(contact.phone, "contact.phone", "联系电话", max: 30)
        }
        if let display = document.display {
            content.displayFrom = day(display.from, "display.from", "公示开始日期")
            content.displayUntil = day(display.until, "display.until", "公示截止日期")
        }
        try errors.throwIfAny()
        return content
    }

    /// What publishing adds to `parse`: the refusals of docs/design.md §5.2, each with its own code and field.
    /// `minimumDisplayDays`: the region's W02 `days` in force (`WarningParameters.displayDays`): publishing and the
    /// warning rule hold the same figure.
    public static func checkPublishable(_ content: DisclosureContent, sentClosingBalance: String?, minimumDisplayDays: Int = minimumDisplayDays) throws {
        var errors = FieldErrors()
        if content.ownersShare == nil {
            errors.add("distribution", code: "missing_distribution", "请填写结余分配（业主分成与企业分成）")
        } else {
            let owners = content.ownersShare ?? .zero, company = content.companyShare ?? .zero
            let surplus = content.surplus
            if surplus.fen <= 0 {
                if owners != .zero || company != .zero {
                    errors.add("distribution", code: "distribution_without_surplus",
                               "经营收入（\(content.incomeTotal)元）未超过经营成本（\(content.costTotal)元），没有结余可分配，业主与企业分成均应为0")
                }
            } else if owners + company != surplus {
                errors.add("distribution", code: "unbalanced_distribution",
                           "结余分配不平衡：收入\(content.incomeTotal)元 − 成本\(content.costTotal)元 = \(surplus)元，但业主分成\(owners)元 + 企业分成\(company)元 = \(owners + company)元")
            }
        }
        if content.openingBalance == nil {
            errors.add("openingBalance", code: "missing_opening_balance", "请填写业主共有资金期初余额")
        } else if let sent = sentClosingBalance, !sent.isEmpty, let closing = content.closingBalance,
                  let claimed = try? Money.parse(sent).get(), claimed != closing {
            errors.add("closingBalance", code: "closing_balance_mismatch",
                       "期末余额应为 期初\(content.openingBalance!) + 业主分成\(content.ownersShare ?? .zero) − 支出\(content.expenditureTotal) = \(closing)元，填报为\(claimed)元")
        }
        if content.contactName.isEmpty || content.contactPhone.isEmpty {
            errors.add(content.contactName.isEmpty ? "contact.name" : "contact.phone", code: "missing_contact", "公示须注明物业企业联系人及联系电话")
        }
        if let from = content.displayFrom, let until = content.displayUntil {
            if from.days(until: until) < minimumDisplayDays {
                errors.add("display.until", code: "display_too_short",
                           "公示期不得少于\(minimumDisplayDays)天（\(from) 至 \(until) 仅\(max(0, from.days(until: until)))天）")
            }
        } else {
            errors.add("display", code: "missing_display", "请填写公示期（开始与截止日期）")
        }
        if content.transferAmount != nil && content.transferDate == nil {
            errors.add("transfer.date", code: "missing_transfer_date", "请填写结余转存日期")
        }
        try errors.throwIfAny()
    }
}
