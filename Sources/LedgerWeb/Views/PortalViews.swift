import Foundation
import LedgerCore

/// The estate search form shared by the portal and the results page: text, district, the districts to choose from.
struct EstateSearchForm: Sendable {
    let query: String
    let districts: [Option]

    init(query: String, district: String, districts: [Region]) {
        self.query = query
        self.districts = districts.map { Option(value: $0.code, label: $0.name, selected: $0.code == district) }
    }
}

/// One estate found: where it is and who manages it.
struct EstateResultRow: Sendable {
    let id: Int64
    let name: String
    let address: String
    let community: String
    let company: String

    init(_ estate: Estate) {
        (id, name, address, community) = (estate.id, estate.name, estate.address, estate.communityName)
        company = estate.companyName ?? "（无物业服务企业）"
    }
}

/// One published version in the "latest disclosures" lists.
struct PublishedRow: Sendable {
    let estateId: Int64
    let estateName: String
    let period: String
    let year: Int
    let quarter: Int
    let corrected: Bool
    let version: Int
    let publishedOn: String

    init(_ published: PublicPortal.Published) {
        (estateId, estateName, year, quarter, version) = (published.estateId, published.estateName, published.year, published.quarter, published.version)
        period = published.period?.title ?? "\(published.year)年第\(published.quarter)季度"
        corrected = published.version > 1
        publishedOn = Timestamp.parse(published.publishedAt).map(Timestamp.shanghaiDay) ?? published.publishedAt
    }
}

/// A spot-check plan on the portal, linking to its public page.
struct PortalPlanLink: Sendable {
    let id: Int64
    let title: String
    let status: String

    init(_ row: PlanRow) { (id, title, status) = (row.id, row.title, row.status) }
}

/// 办事指南: how to read a disclosure, question an item, complain, and how a complaint is handled — with the numbers
/// the platform applies (docs/policy.md §2, §7, §13).
struct PortalGuide: Sendable {
    let displayDays: Int
    let complaintDays: Int
    let reopenDays: Int

    static let standard = PortalGuide(
        displayDays: DisclosureChecks.minimumDisplayDays,
        complaintDays: RegionSettings.setting("complaint_days.\(ComplaintSource.online.rawValue)")?.defaultValue ?? 15,
        reopenDays: Complaints.reopenDays)
}

struct PortalPage: Sendable {
    let layout: Layout
    let search: EstateSearchForm
    let latest: [PublishedRow]
    let hasLatest: Bool
    let moreLatest: Bool
    let plans: [PortalPlanLink]
    let hasPlans: Bool
    let guide: PortalGuide
}

struct EstateSearchPage: Sendable {
    let layout: Layout
    let search: EstateSearchForm
    let error: String?
    let searched: Bool
    let results: [EstateResultRow]
    let hasResults: Bool
    let total: Int
    let pager: Pager?
}

struct PublishedListPage: Sendable {
    let layout: Layout
    let rows: [PublishedRow]
    let hasRows: Bool
    let pager: Pager
}
