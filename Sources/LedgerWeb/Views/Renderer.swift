import Foundation
import Hummingbird
import LedgerCore
import Mustache

/// Renders Mustache templates (loaded once at start-up) into HTML responses.
public struct Renderer: Sendable {
    let library: MustacheLibrary

    static var templatesDirectory: String {
        Bundle.module.url(forResource: "Templates", withExtension: nil)!.path
    }

    static var publicDirectory: String {
        Bundle.module.url(forResource: "Public", withExtension: nil)!.path
    }

    /// Loads every template and checks that each page and partial the code names is there: a missing one stops
    /// the start-up instead of failing a request.
    public static func load() async throws -> Renderer {
        let library = try await MustacheLibrary(directory: templatesDirectory)
        let missing = Template.allCases.map(\.rawValue).filter { library.getTemplate(named: $0) == nil }
            + Template.partials.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else { throw TemplateError.missing(missing) }
        return Renderer(library: library)
    }

    /// Renders `template` with `model`.
    func render(_ template: Template, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        Self.html(text(template, model), status: status)
    }

    /// The HTML of `template` with `model`.
    func text(_ template: Template, _ model: Any) -> String {
        // Every template was checked at start-up (`load`), so rendering cannot miss one.
        library.render(ViewModelTree.make(model) ?? model, withTemplate: template.rawValue) ?? ""
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// The pages, by name; `Renderer.load` checks each exists.
enum Template: String, CaseIterable, Sendable {
    case account
    case accountForm = "account-form"
    case accountOwn = "account-own"
    case accountRegister = "account-register"
    case accounts
    case audit
    case audits
    case auditDetail = "audit-detail"
    case auditorOrgs = "auditor-orgs"
    case publicPetition = "public-petition"
    case publicPetitionNew = "public-petition-new"
    case campaign
    case campaigns
    case cases
    case companies
    case company
    case companyForm = "company-form"
    case complaint
    case complaintConfirm = "complaint-confirm"
    case complaintForm = "complaint-form"
    case complaintIntake = "complaint-intake"
    case complaintTrack = "complaint-track"
    case creditCompany = "credit-company"
    case creditConfirm = "credit-confirm"
    case creditList = "credit-list"
    case creditRules = "credit-rules"
    case crossGroup = "cross-group"
    case crossReport = "cross-report"
    case supervision = "supervision"
    case demonstrations = "demonstrations"
    case demonstration = "demonstration"
    case supervisionLetterForm = "supervision-letter-form"
    case supervisionLetter = "supervision-letter"
    case supervisionLetterPrint = "supervision-letter-print"
    case supervisionBulletin = "supervision-bulletin"
    case crossRound = "cross-round"
    case crossRoundForm = "cross-round-form"
    case crossRounds = "cross-rounds"
    case dashboard
    case decisions
    case enforcement
    case error
    case estate
    case estateForm = "estate-form"
    case estates
    case filing
    case filingImport = "filing-import"
    case filingConfirm = "filing-confirm"
    case filings
    case home
    case importPage = "import"
    case inspectionInspectors = "inspection-inspectors"
    case inspectionPlan = "inspection-plan"
    case inspectionPlanForm = "inspection-plan-form"
    case inspectionPlans = "inspection-plans"
    case inspectionVisit = "inspection-visit"
    case inspectionVisitForm = "inspection-visit-form"
    case letter
    case login
    case notice
    case notifications
    case problem
    case problemForm = "problem-form"
    case portal
    case publicCompany = "public-company"
    case publicCredit = "public-credit"
    case publicDisclosures = "public-disclosures"
    case publicEstates = "public-estates"
    case publicEstate = "public-estate"
    case publicHistory = "public-history"
    case publicInspectionPlan = "public-inspection-plan"
    case putRight = "put-right"
    case regions
    case reportSummary = "report-summary"
    case reports
    case checklist
    case selfInspection = "self-inspection"
    case selfInspectionForm = "self-inspection-form"
    case selfInspections = "self-inspections"
    case settings
    case voucherUpload = "voucher-upload"
    case warning
    case warningParameters = "warning-parameters"
    case warnings

    /// Partials the pages include.
    static let partials = ["base", "case-list", "cell", "field", "import-errors", "pager", "public-audits", "public-self-inspections", "sheet", "vouchers"]
}

public enum TemplateError: Error, CustomStringConvertible {
    case missing([String])

    public var description: String {
        switch self {
        case .missing(let names): "缺少页面模板：\(names.joined(separator: "、"))（应在 Resources/Templates 下）"
        }
    }
}

/// An empty string is "nothing" in a template, as in Mustache's other implementations: `{{#note}}…{{/note}}` leaves out
/// the section when the note is empty and `{{^note}}` shows its fallback. swift-mustache treats every String as a value,
/// so without this an empty search showed "没有找到与“”相关的小区" instead of the empty state, and an empty filter wrote
/// hidden inputs (and "清除筛选" links) for filters never chosen. Rendering is unchanged: the string itself.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
