import Foundation
import Hummingbird
import LedgerCore

/// The CSV upload page for estates and companies: all rows or none, with a report naming each bad row.
struct ImportController {
    let importer: RegistryImport
    let renderer: Renderer

    struct ImportPage: Sendable {
        struct Kind: Sendable { let value: String; let label: String; let selected: Bool }
        let layout: Layout
        let kinds: [Kind]
        let created: Int?
        let createdLabel: String
        let errors: [ImportRowError]
        let hasErrors: Bool
        let formError: String?
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/import", use: show)
        router.post("/import/registry", use: upload)
        router.get("/import/templates/:kind", use: template)
    }

    static let labels: [RegistryImport.Kind: String] = [.estates: "小区", .companies: "物业服务企业"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try context.scope().canEditRegistry else { throw LedgerError.forbidden }
        // After an import, the redirect says what was created (Post/Redirect/Get: Back does not import again).
        let query = request.uri.queryParameters
        let kind = query["kind"].flatMap { RegistryImport.Kind(rawValue: String($0)) } ?? .estates
        let created = query["created"].flatMap { Int(String($0)) }.map { max(0, $0) }
        return page(context, kind: kind, created: created, errors: [], formError: nil)
    }

    /// Imports the uploaded file (or pasted text) as one transaction.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let kind = context.form["kind"].flatMap(RegistryImport.Kind.init) ?? .estates
        let file = context.form.files.first { $0.field == "file" && !$0.data.isEmpty }
        let text = file.map { String(decoding: $0.data, as: UTF8.self) } ?? context.form["csv"] ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return page(context, kind: kind, created: nil, errors: [], formError: "请选择要上传的 CSV 文件", status: .badRequest)
        }
        do {
            let created = try await importer.run(kind, csv: text, scope: scope)
            return .redirect(to: "/import?kind=\(kind.rawValue)&created=\(created)", type: .normal)
        } catch let rejected as ImportRejected {
            return page(context, kind: kind, created: nil, errors: rejected.errors, formError: nil, status: .badRequest)
        }
    }

    /// A CSV template with the expected header row.
    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let kind = RegistryImport.Kind(rawValue: try context.parameters.require("kind")) else { throw LedgerError.notFound("模板") }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(kind.rawValue)-template.csv\""],
            body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + RegistryImport.template(kind))))
    }

    private func page(_ context: AppRequestContext, kind: RegistryImport.Kind, created: Int?, errors: [ImportRowError],
                      formError: String?, status: HTTPResponse.Status = .ok) -> Response {
        let model = ImportPage(
            layout: Layout(title: "批量导入", context: context, section: "/import"),
            kinds: RegistryImport.Kind.allCases.map { .init(value: $0.rawValue, label: Self.labels[$0]!, selected: $0 == kind) },
            created: created, createdLabel: Self.labels[kind]!, errors: errors, hasErrors: !errors.isEmpty, formError: formError)
        return renderer.render(.importPage, model, status: status)
    }
}
