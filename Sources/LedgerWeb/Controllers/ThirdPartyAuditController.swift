import Foundation
import Hummingbird
import LedgerCore

/// 第三方审计 for staff: the list (with the committee's or the county's request form), an audit's page (petition
/// signatures and codes, the county's decision, the auditor's read-only materials, findings and report, closing), and
/// the register of auditor organisations. The core decides who sees which audit; these handlers only read forms.
struct ThirdPartyAuditController {
    let audits: Audits
    let orgs: AuditorOrgs
    let history: DisclosureHistory
    let vouchers: VoucherStore
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/audits", use: list)
        router.post("/audits", use: request)
        router.get("/audits/:id", use: detail)
        router.get("/audits/:id/report", use: report)
        router.post("/audits/:id/codes", use: codes)
        router.post("/audits/:id/signatures/:signature", use: verify)
        router.post("/audits/:id/decide", use: decide)
        router.post("/audits/:id/findings", use: finding)
        router.post("/audits/:id/report", use: fileReport)
        router.post("/audits/:id/close", use: close)
        router.get("/auditor-orgs", use: orgList)
        router.post("/auditor-orgs", use: register)
        router.post("/auditor-orgs/:id/members", use: bind)
    }

    // MARK: List and request

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(request, context, errors: FieldErrors())
    }

    private func listPage(_ request: Request, _ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let number = try RegistryAPI.positive(request.uri.queryParameters["page"], field: "page") ?? 1
        let chosen = request.uri.queryParameters["status"].flatMap { AuditStatus(rawValue: String($0)) }
        let page = try await audits.list(scope: scope, status: chosen, page: number)
        let values = context.form.fields
        let canRequest = scope.can(.requestAudit) || scope.can(.decideAudit)
        let model = AuditListPage(
            layout: Layout(title: scope.role == .auditor ? "受托审计" : "第三方审计", context: context, section: "/audits"),
            rows: page.items.map(AuditRow.init), empty: page.items.isEmpty,
            pager: Pager(page, base: "/audits", query: [("status", chosen?.rawValue ?? "")]),
            statuses: AuditStatus.allCases.map { .init(value: $0.rawValue, title: $0.title, selected: $0 == chosen) },
            isAuditor: scope.role == .auditor, canRequest: canRequest, isCommittee: scope.can(.requestAudit),
            canManageOrgs: scope.can(.decideAudit),
            estate: Field("estate", values, errors), year: Field("year", values, errors), quarter: Field("auditQuarter", values, errors),
            objection: Field("objection", values, errors),
            formError: errors.items.first { !["estate", "year", "auditQuarter", "quarter", "objection"].contains($0.field ?? "") }?.message)
        return renderer.render(.audits, model, status: status)
    }

    @Sendable func request(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        return try await submitting {
            let estate: Int64
            if scope.role == .committee {
                guard let own = scope.estateId else { throw LedgerError.forbidden }
                estate = own
            } else {
                guard let typed = Int64((form["estate"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                    throw LedgerError.invalid("estate", code: "required", "请填写小区编号")
                }
                estate = typed
            }
            let id = try await audits.request(estateId: estate, year: form["year"] ?? "", quarter: form["auditQuarter"] ?? "",
                                              objection: form["objection"] ?? "", scope: scope)
            return .redirect(to: "/audits/\(id)", type: .normal)
        } reshow: { errors in
            try await listPage(request, context, errors: Self.renamed(errors), status: .badRequest)
        }
    }

    /// The core names the quarter `quarter`; the form calls it `auditQuarter`.
    static func renamed(_ errors: FieldErrors) -> FieldErrors {
        var result = FieldErrors()
        for item in errors.items {
            result.add(item.field == "quarter" ? "auditQuarter" : item.field ?? "", code: item.code, item.message)
        }
        return result
    }

    // MARK: One audit

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detailPage(context, errors: FieldErrors())
    }

    private func detailPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let detail = try await audits.detail(try RegistryAPI.id(context), scope: scope)
        let a = detail.audit
        var sheet: DisclosureSheet?
        if let entry = try await history.entry(estateId: a.estateId, quarter: a.quarter) {
            sheet = DisclosureSheet(entry, vouchers: try await vouchers.vouchers(versionId: entry.version.id))
        }
        let canDecide = a.status == .pending && scope.can(.decideAudit)
        let orgList = canDecide ? try await orgs.list(scope: scope) : []
        let values = context.form.fields
        func field(_ name: String) -> Field { Field(name, values, errors) }
        let known: Set<String> = ["decision", "reason", "org", "deadline", "bundle", "line", "issue", "amount", "category", "summary", "report",
                                  "rectification", "count"]
        let categories = ProblemCategory.all.filter { $0.code.hasPrefix("revenue_") }
        let model = AuditDetailPage(
            layout: Layout(title: "审计 #\(a.id) · \(a.estateName)", context: context, section: "/audits"),
            audit: AuditRow(a), linkEstate: scope.role != .auditor, linkProblems: scope.can(.viewProblems),
            findings: detail.findings.map(AuditFindingRow.init), hasFindings: !detail.findings.isEmpty,
            signatures: detail.signatures.map {
                .init(id: $0.id, building: $0.building, room: $0.room, name: $0.name, phone: $0.phone,
                      state: $0.verified == 1 ? "已核实（\($0.method == "code" ? "核验码" : "人工核实")）" : $0.verified == 0 ? "待核实" : "未通过核实",
                      awaiting: $0.verified == 0, signedAt: Timestamp.display(stored: $0.signedAt))
            },
            showPetition: a.origin == .petition && (scope.role == .admin || scope.role.isRegional || scope.role == .committee),
            canVerify: a.status == .petitioning && scope.can(.verifyPetition),
            codes: detail.codes, hasCodes: !detail.codes.isEmpty,
            canIssueCodes: a.status == .petitioning && (scope.can(.requestAudit) || scope.can(.verifyPetition)),
            canDecide: canDecide,
            orgs: orgList.map { .init(id: $0.id, name: $0.name, selected: values["org"] == "\($0.id)") },
            canAudit: a.status == .accepted && scope.can(.fileAuditReport),
            canClose: a.status == .reported && scope.can(.decideAudit),
            hasReport: detail.reportFileId != nil, sheet: sheet,
            hasAccount: detail.account != nil, accountBank: detail.account?.bank ?? "",
            accountNumber: detail.account.map { scope.role == .auditor || scope.canEditRegistry ? $0.number : AccountRegister.mask($0.number) } ?? "",
            accountOpened: detail.account?.openedOn ?? "",
            categories: categories.map { .init(code: $0.code, title: $0.title) },
            decision: field("decision"), reason: field("reason"), org: field("org"), deadline: field("deadline"), bundle: field("bundle"),
            line: field("line"), issue: field("issue"), amount: field("amount"), category: field("category"), summary: field("summary"),
            report: field("report"), rectification: field("rectification"), count: field("count"),
            formError: errors.items.first { !known.contains($0.field ?? "") }?.message)
        return renderer.render(.auditDetail, model, status: status)
    }

    private func step(_ context: AppRequestContext, anchor: String, _ body: @Sendable (Int64, Scope) async throws -> Void) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            try await body(id, scope)
            return .redirect(to: "/audits/\(id)#\(anchor)", type: .normal)
        } reshow: { errors in
            try await detailPage(context, errors: errors, status: .badRequest)
        }
    }

    @Sendable func codes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let count = context.form["count"] ?? ""
        return try await step(context, anchor: "codes") { id, scope in _ = try await audits.issueCodes(auditId: id, count: count, scope: scope) }
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let signature = context.parameters.get("signature").flatMap(Int64.init) else { throw LedgerError.notFound("签名") }
        let accept = context.form["verdict"] != "refuse"
        return try await step(context, anchor: "signatures") { id, scope in
            try await audits.verifySignature(auditId: id, signatureId: signature, accept: accept, scope: scope)
        }
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let (decision, reason, org, deadline, bundle) = (form["decision"] ?? "", form["reason"] ?? "", form["org"] ?? "", form["deadline"] ?? "",
                                                         form["bundle"] ?? "")
        return try await step(context, anchor: "decision") { id, scope in
            try await audits.decide(id, decision: decision, reason: reason, orgId: org, deadline: deadline, bundleWith: bundle, scope: scope)
        }
    }

    @Sendable func finding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let (line, issue, amount, category) = (form["line"] ?? "", form["issue"] ?? "", form["amount"] ?? "", form["category"] ?? "")
        return try await step(context, anchor: "findings") { id, scope in
            _ = try await audits.addFinding(auditId: id, line: line, issue: issue, amount: amount, category: category, scope: scope)
        }
    }

    @Sendable func fileReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let summary = context.form["summary"] ?? ""
        let upload = context.form.files.first { $0.field == "report" && !$0.filename.isEmpty }
            .map { Complaints.Upload(filename: $0.filename, bytes: $0.data) }
        return try await step(context, anchor: "report") { id, scope in
            try await audits.fileReport(auditId: id, summary: summary, report: upload, scope: scope)
        }
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = context.form["rectification"] ?? ""
        return try await step(context, anchor: "close") { id, scope in try await audits.close(id, rectification: text, scope: scope) }
    }

    /// The report PDF, served as a download, never rendered as a page of this site.
    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try RegistryAPI.id(context)
        let (_, data) = try await audits.report(id, scope: try context.scope())
        return Response(status: .ok, headers: [.contentType: "application/pdf",
                                               .contentDisposition: "attachment; filename=\"audit-\(id).pdf\"",
                                               .contentSecurityPolicy: "sandbox; default-src 'none'"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Organisations

    @Sendable func orgList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await orgPage(context, errors: FieldErrors())
    }

    private func orgPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let list = try await orgs.list(scope: scope)
        let values = context.form.fields
        let model = AuditorOrgsPage(
            layout: Layout(title: "第三方审计机构", context: context, section: "/audits"),
            rows: list.map { .init(id: $0.id, name: $0.name, uscc: $0.uscc, contact: $0.contact,
                                   clients: $0.clients.isEmpty ? "（未申报）" : $0.clients.joined(separator: "、"),
                                   members: $0.members.isEmpty ? "（尚未绑定账号）" : $0.members.joined(separator: "、")) },
            empty: list.isEmpty, canManage: scope.can(.decideAudit),
            name: Field("name", values, errors), uscc: Field("uscc", values, errors), contact: Field("contact", values, errors),
            clients: Field("clients", values, errors), username: Field("username", values, errors),
            formError: errors.items.first { !["name", "uscc", "contact", "clients", "username"].contains($0.field ?? "") }?.message)
        return renderer.render(.auditorOrgs, model, status: status)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        return try await submitting {
            try await orgs.register(name: form["name"] ?? "", uscc: form["uscc"] ?? "", contact: form["contact"] ?? "", clients: form["clients"] ?? "",
                                    scope: scope)
            return .redirect(to: "/auditor-orgs", type: .normal)
        } reshow: { errors in
            try await orgPage(context, errors: errors, status: .badRequest)
        }
    }

    @Sendable func bind(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        let username = context.form["username"] ?? ""
        return try await submitting {
            try await orgs.bind(orgId: id, username: username, scope: scope)
            return .redirect(to: "/auditor-orgs", type: .normal)
        } reshow: { errors in
            try await orgPage(context, errors: errors, status: .badRequest)
        }
    }
}
