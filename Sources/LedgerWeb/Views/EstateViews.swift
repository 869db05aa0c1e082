import Foundation
import LedgerCore

/// A row of the estate list, formatted for display.
struct EstateRow: Sendable {
    let id: Int64
    let name: String
    let address: String
    let community: String
    let households: Int
    let company: String
    let hasAccount: Bool
    let updated: String

    init(_ e: Estate) {
        updated = Timestamp.display(stored: e.updatedAt)
        id = e.id
        name = e.name
        address = e.address
        community = e.communityName
        households = e.households
        company = e.companyName ?? "（无物业企业）"
        hasAccount = e.accountOpen
    }
}

/// A sortable column header: clicking it sorts by the column, again reverses.
/// A column header of a sortable list: a link that orders the list by the column, or reverses it when it already
/// does, keeping the list's filter (`query`); a column without a key is a plain header.
struct SortLink: Sendable {
    let title: String
    let href: String?
    let marker: String
    /// `ascending` / `descending` on the column the list is ordered by (`aria-sort`), else nil.
    let ariaSort: String?

    static func make<K: RawRepresentable & CaseIterable>(
        _ columns: [(K, String)], current: K, descending: Bool, base: String, search: String
    ) -> [SortLink] where K.RawValue == String, K: Equatable {
        make(columns.map { (Optional($0.0), $0.1) }, current: current, descending: descending, base: base,
             query: search.isEmpty ? [] : [("q", search)], queryFirst: false)
    }

    static func make<K: RawRepresentable>(
        _ columns: [(K?, String)], current: K, descending: Bool, base: String, query: [(String, String)], queryFirst: Bool = true
    ) -> [SortLink] where K.RawValue == String, K: Equatable {
        columns.map { key, title in
            guard let key else { return SortLink(title: title, href: nil, marker: "", ariaSort: nil) }
            let reverse = key == current && !descending
            let order = [("sort", key.rawValue), ("desc", reverse ? "1" : "")]
            let items = (queryFirst ? query + order : order + query).filter { !$0.1.isEmpty }
            return SortLink(title: title, href: base + "?" + items.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&"),
                            marker: key == current ? (descending ? " ▼" : " ▲") : "",
                            ariaSort: key == current ? (descending ? "descending" : "ascending") : nil)
        }
    }
}

struct EstateListPage: Sendable {
    let layout: Layout
    let search: String
    let rows: [EstateRow]
    let columns: [SortLink]
    let pager: Pager
    let canCreate: Bool
    let empty: Bool
}

struct EstateFormPage: Sendable {
    let layout: Layout
    let action: String
    let heading: String
    let name: Field, address: Field, community: Field, households: Field, floorArea: Field, ownersShare: Field
    let communities: [Option]
    let formError: String?

    init(layout: Layout, action: String, heading: String, values: [String: String], errors: FieldErrors, communities: [Region],
         parents: [String: String]) {
        self.layout = layout
        self.action = action
        self.heading = heading
        name = Field("name", values, errors)
        address = Field("address", values, errors)
        community = Field("community", values, errors)
        households = Field("households", values, errors)
        floorArea = Field("floorArea", values, errors)
        ownersShare = Field("ownersShare", values, errors)
        let chosen = values["community"] ?? ""
        self.communities = communities.map { region in
            Option(value: region.code, label: "\(parents[region.parentCode ?? ""] ?? "") \(region.name)", selected: region.code == chosen)
        }
        formError = errors.items.first { $0.field == nil || !["name", "address", "community", "households", "floorArea", "ownersShare"].contains($0.field!) }?.message
    }
}

/// One of the small forms on an estate's page; reopened with its errors when a submission fails.
struct RecordForm: Sendable {
    let open: Bool
    let error: String?
    let company: Field, startDate: Field, endDate: Field
    let kind: Field, chairName: Field, termStart: Field, termEnd: Field
    let bank: Field, accountNumber: Field, openedOn: Field
    /// The company named is black-listed: the form asks for the acknowledgement (拟承接企业已列入黑名单).
    let blackListWarning: Bool

    init(open: Bool = false, values: [String: String] = [:], errors: FieldErrors = FieldErrors()) {
        self.open = open
        blackListWarning = errors.items.contains { $0.code == "black_listed" }
        error = errors.items.first { $0.field == nil }?.message
        (company, startDate, endDate) = (Field("company", values, errors), Field("startDate", values, errors), Field("endDate", values, errors))
        (kind, chairName) = (Field("kind", values, errors), Field("chairName", values, errors))
        (termStart, termEnd) = (Field("termStart", values, errors), Field("termEnd", values, errors))
        (bank, accountNumber, openedOn) = (Field("bank", values, errors), Field("accountNumber", values, errors), Field("openedOn", values, errors))
    }
}

/// An owner's question as the estate page shows it to officials and to the company that answers it.
struct QuestionItem: Sendable {
    let id: Int64
    let period: String
    let item: String
    let content: String
    let askedAt: String
    let answer: String?
    let open: Bool

    init(_ q: OwnerQuestions.Question) {
        id = q.id
        period = Quarter(year: q.year, quarter: q.quarter)?.title ?? ""
        (item, content, answer) = (q.item, q.content, q.answer)
        askedAt = Timestamp.display(stored: q.askedAt)
        open = q.answer == nil
    }
}

struct EstateDetailPage: Sendable {
    struct ContractRow: Sendable { let company: String; let companyId: Int64; let start: String; let end: String }
    struct CommitteeRow: Sendable { let kind: String; let chair: String; let start: String; let end: String; let expired: Bool }

    let layout: Layout
    let estate: Estate
    let breadcrumb: String
    let ownersShare: String
    let contracts: [ContractRow]
    let committees: [CommitteeRow]
    let account: DedicatedAccount?
    /// The account is open by today (`Estate.accountOpen`); a registered `account` may open later.
    let accountOpen: Bool
    let canEdit: Bool
    let today: String
    let hasContracts: Bool
    let hasCommittees: Bool
    let contractForm: RecordForm
    let committeeForm: RecordForm
    let accountForm: RecordForm
    let questions: [QuestionItem]
    let hasQuestions: Bool
    let canAnswer: Bool
    let isCompany: Bool
    let filingHref: String

    init(layout: Layout, estate: Estate, breadcrumb: String, contracts: [ContractRow], committees: [CommitteeRow],
         account: DedicatedAccount?, canEdit: Bool, today: String, forms: [String: RecordForm],
         questions: [OwnerQuestions.Question], role: Role, filingQuarter: Quarter) {
        self.questions = questions.map(QuestionItem.init)
        hasQuestions = !questions.isEmpty
        canAnswer = role.permissions.contains(.answerQuestions)
        isCompany = role == .company
        filingHref = "/estates/\(estate.id)/disclosures/\(filingQuarter.year)/\(filingQuarter.quarter)"
        contractForm = forms["contracts"] ?? RecordForm()
        committeeForm = forms["committees"] ?? RecordForm()
        accountForm = forms["account"] ?? RecordForm()
        self.layout = layout
        self.estate = estate
        self.breadcrumb = breadcrumb
        self.ownersShare = percentText(basisPoints: estate.ownersShareBp)
        self.contracts = contracts
        self.committees = committees
        self.account = account
        accountOpen = estate.accountOpen
        self.canEdit = canEdit
        self.today = today
        hasContracts = !contracts.isEmpty
        hasCommittees = !committees.isEmpty
    }
}
