import Foundation
import Hummingbird
import LedgerCore

/// 业主决议登记簿: an estate's register of owners' decisions (list and add form) and the decisions' documents
/// (docs/design.md §24). Reading follows the estate's scope; adding needs `recordDecision`.
struct DecisionController {
    let decisions: OwnerDecisions
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/estates/:id/decisions", use: register)
        router.post("/estates/:id/decisions", use: add)
        router.get("/estates/:id/decisions/files/:file", use: document)
    }

    /// The register and, for those who may record, the add form.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context, values: [:], errors: FieldErrors())
    }

    /// Adds a decision (with an optional document); 303 back to the register, or the form again with every error beside its field.
    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let estateId = try RegistryAPI.id(context)
        let upload = context.form.files.first { $0.field == "document" && !$0.filename.isEmpty }
            .map { Complaints.Upload(filename: $0.filename, bytes: $0.data) }
        return try await submitting {
            let decision = try await decisions.add(OwnerDecisionInput(form: context.form.fields, document: upload), estateId: estateId, scope: scope)
            return .redirect(to: "/estates/\(estateId)/decisions#\(decision.reference)", type: .normal)
        } reshow: { errors in
            try await page(context, values: context.form.fields, errors: errors, status: .badRequest)
        }
    }

    private func page(_ context: AppRequestContext, values: [String: String], errors: FieldErrors,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (estate, list, documents) = try await decisions.register(estateId: try RegistryAPI.id(context), scope: scope)
        let model = DecisionRegisterPage(estate: estate, decisions: list, documents: documents, values: values, errors: errors,
                                         canRecord: scope.can(.recordDecision),
                                         layout: Layout(title: "业主决议登记簿 · \(estate.name)", context: context, section: "/estates"))
        return renderer.render(.decisions, model, status: status)
    }

    /// A decision's document, served as the type its content proved, never rendered as a page of this site.
    @Sendable func document(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let fileId = context.parameters.get("file").flatMap(Int64.init) else { throw LedgerError.notFound("决议文件") }
        let (filename, contentType, data) = try await decisions.document(estateId: try RegistryAPI.id(context), fileId: fileId, scope: try context.scope())
        let ascii = filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0.value >= 0x20 } ? filename : "decision-\(fileId)"
        return Response(status: .ok, headers: [.contentType: contentType, .contentSecurityPolicy: "sandbox; default-src 'none'",
                                               .contentDisposition: "inline; filename=\"\(ascii)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
