import Foundation
import LedgerCore

struct CompanyRow: Sendable {
    let id: Int64
    let name: String
    let uscc: String
    let region: String
    let contact: String
    let estateCount: Int
    let updated: String
    /// On the black list today: 黑名单 / 限制投标 beside the name.
    var blackListed = false

    init(_ c: Company) {
        updated = Timestamp.display(stored: c.updatedAt)
        id = c.id
        name = c.name
        uscc = c.uscc
        region = c.regionName
        contact = [c.contactName, c.contactPhone].filter { !$0.isEmpty }.joined(separator: " ")
        estateCount = c.estateCount
    }
}

struct CompanyListPage: Sendable {
    let layout: Layout
    let search: String
    let rows: [CompanyRow]
    let columns: [SortLink]
    let pager: Pager
    let canCreate: Bool
    let empty: Bool
}

struct CompanyFormPage: Sendable {
    let layout: Layout
    let action: String
    let heading: String
    let name: Field, uscc: Field, region: Field, contactName: Field, contactPhone: Field, address: Field
    let regions: [Option]

    init(layout: Layout, action: String, heading: String, values: [String: String], errors: FieldErrors, regions: [Region]) {
        self.layout = layout
        self.action = action
        self.heading = heading
        name = Field("name", values, errors)
        uscc = Field("uscc", values, errors)
        region = Field("region", values, errors)
        contactName = Field("contactName", values, errors)
        contactPhone = Field("contactPhone", values, errors)
        address = Field("address", values, errors)
        let chosen = values["region"] ?? ""
        self.regions = regions.map { Option(value: $0.code, label: "\($0.name)（\($0.code)）", selected: $0.code == chosen) }
    }
}

struct CompanyDetailPage: Sendable {
    let layout: Layout
    let company: Company
    let estates: [EstateRow]
    let moreEstates: Bool
    let canEdit: Bool
    let hasEstates: Bool
    var blackListed = false
    var canViewCredit = false

    init(layout: Layout, company: Company, estates: [EstateRow], moreEstates: Bool, canEdit: Bool) {
        (self.layout, self.company, self.estates, self.moreEstates, self.canEdit) = (layout, company, estates, moreEstates, canEdit)
        hasEstates = !estates.isEmpty
    }
}
