import Foundation
import Hummingbird
import LedgerCore

extension CreditController {
    /// The company's credit page; `form` names the form that failed, shown again with the input kept and its errors.
    func companyPage(_ context: AppRequestContext, id: Int64, form: String? = nil, errors: FieldErrors = FieldErrors()) async throws -> Response {
        let scope = try context.scope()
        let company = try await credit.visibleCompany(id, scope: scope)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let score = try await credit.score(of: id)
        let events = try await credit.events(companyId: id)
        let requests = try await credit.requests(companyId: id)
        let decisions = try await credit.listDecisions(companyId: id)
        let inForce = decisions.filter { $0.inForce(on: today) }
        let black = inForce.contains { $0.list == .black }, red = inForce.contains { $0.list == .red }
        let values = context.form.fields
        func submitted(_ name: String) -> ([String: String], FieldErrors) { form == name ? (values, errors) : ([:], FieldErrors()) }
        let isCompany = scope.can(.objectToCredit) && scope.role == .company
        let canManage = scope.can(.recordEnforcement)
        let pendingEvents = Set(requests.filter { $0.status == .pending }.map { "\($0.kind.rawValue)-\($0.eventId)" })
        var eventRows: [CreditCompanyPage.EventRow] = []
        for e in events {
            let counts = e.counts(on: today)
            let canObject = isCompany && e.status == .valid && !pendingEvents.contains("objection-\(e.id)")
            var hint: String?
            if isCompany && e.status == .valid && e.points < 0 && !pendingEvents.contains("repair-\(e.id)") {
                hint = try await credit.repairRefusal(eventId: e.id)
            }
            let (ov, oe) = submitted("objection-\(e.id)"), (rv, re) = submitted("repair-\(e.id)")
            eventRows.append(.init(id: e.id, date: e.occurredOn, title: CreditRules.rule(e.rule)?.title ?? e.rule, points: e.pointsText, basis: e.basis,
                                   document: e.documentNumber, note: e.note, until: e.expiresOn, state: e.stateTitle(on: today), counts: counts, bad: e.points < 0,
                                   canObject: canObject, canRepair: isCompany && e.status == .valid && e.points < 0 && hint == nil
                                       && !pendingEvents.contains("repair-\(e.id)"),
                                   repairHint: hint, reasons: Field("reasons", ov, oe), repairReasons: Field("reasons", rv, re),
                                   filesError: oe.message(for: "files") ?? re.message(for: "files")))
        }
        let files = try await credit.requestFiles(companyId: id)
        let titles = Dictionary(events.map { ($0.id, CreditRules.rule($0.rule)?.title ?? $0.rule) }) { a, _ in a }
        let requestRows = requests.map { r in
            let (v, e) = submitted("decide-\(r.id)")
            let choices: [CreditFile.RequestDecision] = r.kind == .objection ? [.uphold, .withdraw] : [.approve, .refuse]
            return CreditCompanyPage.RequestRow(
                id: r.id, kind: r.kind.title, eventId: r.eventId, event: titles[r.eventId] ?? "#\(r.eventId)", reasons: r.reasons, status: r.status.title,
                filedAt: Timestamp.display(stored: r.filedAt), decidedAt: r.decidedAt.map(Timestamp.display(stored:)) ?? "", note: r.decisionNote,
                canDecide: canManage && r.status == .pending && scope.covers(regionPath: events.first { $0.id == r.eventId }?.regionPath ?? "~"),
                decisions: choices.map { Option(value: $0.rawValue, label: $0.title, selected: v["decision"] == $0.rawValue) },
                noteField: Field("note", v, e), decisionError: e.message(for: "decision"),
                files: (files[r.id] ?? []).map { .init(href: "/credit/requests/\(r.id)/files/\($0.id)", name: $0.filename) })
        }
        let grades = try await credit.gradeChanges(companyId: id).map {
            CreditCompanyPage.GradeRow(on: $0.changedOn, old: $0.oldGrade?.title ?? "—", new: $0.newGrade.title, score: $0.score, cause: $0.cause)
        }
        let decisionRows = decisions.map { d in
            CreditCompanyPage.DecisionRow(decisionId: d.id, list: d.list.title, reason: d.reason, document: d.documentNumber, period: "\(d.decidedOn) 至 \(d.until)",
                                          state: d.removedAt != nil ? "已移出（\(d.removedReason ?? "")）" : d.inForce(on: today) ? "有效" : "已到期",
                                          inForce: d.inForce(on: today), canRemove: canManage && d.removedAt == nil, black: d.list == .black)
        }
        let cases = try await credit.cases(companyId: id).map {
            CreditCompanyPage.CaseRow(title: $0.title, situation: $0.situation, facts: $0.facts, basis: $0.basis, outcome: $0.outcome, publishedOn: $0.publishedOn)
        }
        let (recordValues, recordErrors) = submitted("record"), (listValues, listErrors) = submitted("list"), (caseValues, caseErrors) = submitted("case")
        let rules = CreditRules.defaults.filter(\.recordable).map { rule in
            Option(value: rule.code, label: "\(rule.code) \(rule.title)（默认 \(rule.points > 0 ? "+" : "")\(rule.points) 分）", selected: recordValues["rule"] == rule.code)
        }
        let lists = CreditFile.List.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: listValues["list"] == $0.rawValue) }
        let page = CreditCompanyPage(
            layout: Layout(title: "信用档案 · \(company.name)", context: context, section: "/credit"), id: id, name: company.name, uscc: company.uscc,
            grade: black ? "黑名单" : score.grade.title, total: score.total, registration: score.registration, managing: score.managing, filing: score.filing,
            basic: score.basic, good: score.good, goodCounted: min(score.good, CreditFile.Score.goodCap), bad: score.bad, goodCap: CreditFile.Score.goodCap,
            black: black, red: red, events: eventRows, noEvents: eventRows.isEmpty, requests: requestRows, hasRequests: !requestRows.isEmpty,
            grades: grades, hasGrades: !grades.isEmpty, decisions: decisionRows, hasDecisions: !decisionRows.isEmpty, cases: cases, hasCases: !cases.isEmpty,
            canManage: canManage, isCompany: isCompany, rules: rules, lists: lists,
            record: .init(recordValues, recordErrors), listForm: .init(listValues, listErrors), caseForm: .init(caseValues, caseErrors),
            ruleError: recordErrors.message(for: "rule"), listError: listErrors.message(for: "list"),
            removeError: form == "remove" ? errors.items.first?.message : nil,
            formError: errors.items.first { $0.field == nil }?.message)
        return renderer.render(.creditCompany, page, status: errors.isEmpty ? .ok : .badRequest)
    }
}
