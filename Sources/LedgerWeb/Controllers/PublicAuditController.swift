import Foundation
import Hummingbird
import LedgerCore

/// 业主联名申请审计 on the public site: an owner starts a petition against a published quarter of the estate, others
/// sign it (with the committee's one-time code, or to be checked by an official); the page shows verified households
/// against the 20% threshold. Signers are stored masked and never shown publicly.
struct PublicAuditController {
    let audits: Audits
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/public/estates/:id/audit-petitions/new", use: startForm)
        router.post("/public/estates/:id/audit-petitions", use: start)
        router.get("/public/audit-petitions/:id", use: petition)
        router.post("/public/audit-petitions/:id/sign", use: sign)
    }

    static let signerFields = ["name", "building", "room", "phone", "code"]

    static func signer(_ form: FormData) -> PetitionSigner {
        PetitionSigner(name: form["name"] ?? "", building: form["building"] ?? "", room: form["room"] ?? "", phone: form["phone"] ?? "",
                       code: form["code"] ?? "")
    }

    @Sendable func startForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await startPage(context, errors: FieldErrors())
    }

    private func startPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let estateId = try RegistryAPI.id(context)
        let (name, quarters) = try await audits.petitionable(estateId: estateId)
        let values = context.form.fields
        func field(_ n: String) -> Field { Field(n, values, errors) }
        let model = PublicPetitionStartPage(
            layout: Layout(title: "发起业主联名申请审计 · \(name)", context: context), estateId: estateId, estateName: name,
            quarters: quarters.map { .init(value: $0.description, title: $0.title, selected: values["period"] == $0.description) },
            hasQuarters: !quarters.isEmpty, objection: field("objection"), period: field("period"), name: field("name"), building: field("building"),
            room: field("room"), phone: field("phone"), code: field("code"),
            formError: errors.items.first { !(["objection", "period"] + Self.signerFields).contains($0.field ?? "") }?.message)
        return renderer.render(.publicPetitionNew, model, status: status)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let estateId = try RegistryAPI.id(context)
        let form = context.form
        do {
            let period = Quarter(text: (form["period"] ?? "").trimmingCharacters(in: .whitespaces))
            guard let period else { throw LedgerError.invalid("period", code: "required", "请选择有异议的公示季度") }
            let id = try await audits.startPetition(estateId: estateId, year: "\(period.year)", quarter: "\(period.quarter)",
                                                    objection: form["objection"] ?? "", signer: Self.signer(form), address: context.remoteAddress)
            return .redirect(to: "/public/audit-petitions/\(id)?signed=started#sign", type: .normal)
        } catch let errors as FieldErrors {
            return try await startPage(context, errors: Self.periodNamed(errors), status: .badRequest)
        } catch let error as LedgerError where [.invalid, .conflict, .locked].contains(error.kind) {
            var errors = FieldErrors()
            errors.add(error)
            return try await startPage(context, errors: Self.periodNamed(errors), status: error.kind == .locked ? .tooManyRequests : .badRequest)
        }
    }

    static func periodNamed(_ errors: FieldErrors) -> FieldErrors {
        var result = FieldErrors()
        for item in errors.items {
            result.add(["year", "quarter"].contains(item.field ?? "") ? "period" : item.field ?? "", code: item.code, item.message)
        }
        return result
    }

    @Sendable func petition(_ request: Request, context: AppRequestContext) async throws -> Response {
        let receipt: String? = switch request.uri.queryParameters["signed"].map(String.init) {
        case "started": "联名已发起，您的签名已记录。请将本页地址转给本小区其他业主。"
        case "verified": "签名已记录并核实，已计入户数。"
        case "pending": "签名已记录，待街道或主管部门核实后计入户数（也可向业委会索取核验码）。"
        case "duplicate": "签名已记录。该户此前已有签名，同一户只计一次。"
        default: nil
        }
        return try await petitionPage(context, receipt: receipt, errors: FieldErrors())
    }

    private func petitionPage(_ context: AppRequestContext, receipt: String?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (audit, waiting) = try await audits.publicPetition(try RegistryAPI.id(context))
        let values = context.form.fields
        func field(_ n: String) -> Field { Field(n, values, errors) }
        let model = PublicPetitionPage(
            layout: Layout(title: "业主联名申请审计 · \(audit.estateName)", context: context), audit: AuditRow(audit),
            open: audit.status == .petitioning, awaitingCheck: waiting, hasAwaiting: waiting > 0, receipt: receipt,
            name: field("name"), building: field("building"), room: field("room"), phone: field("phone"), code: field("code"),
            formError: errors.items.first { !Self.signerFields.contains($0.field ?? "") }?.message)
        return renderer.render(.publicPetition, model, status: status)
    }

    @Sendable func sign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try RegistryAPI.id(context)
        do {
            let (duplicate, verified) = try await audits.sign(auditId: id, signer: Self.signer(context.form), address: context.remoteAddress)
            let state = duplicate ? "duplicate" : verified ? "verified" : "pending"
            return .redirect(to: "/public/audit-petitions/\(id)?signed=\(state)#sign", type: .normal)
        } catch let errors as FieldErrors {
            return try await petitionPage(context, receipt: nil, errors: errors, status: .badRequest)
        } catch let error as LedgerError where [.invalid, .conflict, .locked].contains(error.kind) {
            var errors = FieldErrors()
            errors.add(error)
            return try await petitionPage(context, receipt: nil, errors: errors, status: error.kind == .locked ? .tooManyRequests : .badRequest)
        }
    }
}
