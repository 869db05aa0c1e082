import Foundation
import LedgerCore

/// JSON shapes of the registry API (documented in openapi.yaml).
struct RegionBody: Encodable {
    let code: String, name: String, level: String, parentCode: String?
    init(_ r: Region) { (code, name, level, parentCode) = (r.code, r.name, r.level.rawValue, r.parentCode) }
}

struct EstateBody: Encodable {
    struct Ref: Encodable { let id: Int64; let name: String }
    struct CommunityRef: Encodable { let code: String; let name: String }
    let id: Int64, name: String, address: String, community: CommunityRef
    let households: Int, floorArea: Int, ownersShare: String, company: Ref?, hasDedicatedAccount: Bool, updatedAt: String

    init(_ e: Estate) {
        (id, name, address) = (e.id, e.name, e.address)
        community = CommunityRef(code: e.communityCode, name: e.communityName)
        (households, floorArea) = (e.households, e.floorArea)
        ownersShare = String(format: "%d.%02d", e.ownersShareBp / 100, e.ownersShareBp % 100)
        company = e.companyId.map { Ref(id: $0, name: e.companyName ?? "") }
        hasDedicatedAccount = e.accountOpen
        updatedAt = e.updatedAt
    }
}

struct EstateDetailBody: Encodable {
    let estate: EstateBody
    let contracts: [ManagementContract]
    let committees: [Committee]
    let dedicatedAccount: DedicatedAccount?

    init(estate: EstateBody, details: EstateRecords.Details) {
        self.estate = estate
        (contracts, committees, dedicatedAccount) = (details.contracts, details.committees, details.account)
    }
}

struct CompanyBody: Encodable {
    let id: Int64, name: String, uscc: String, regionCode: String, regionName: String
    let contactName: String, contactPhone: String, address: String, estateCount: Int
    init(_ c: Company) {
        (id, name, uscc, regionCode, regionName) = (c.id, c.name, c.uscc, c.regionCode, c.regionName)
        (contactName, contactPhone, address, estateCount) = (c.contactName, c.contactPhone, c.address, c.estateCount)
    }
}

/// `POST /api/v1/estates` body; numbers must be JSON integers, the share a decimal string of percent.
struct EstateRequest: Decodable {
    let name: String
    let address: String
    let community: String
    let households: Int
    let floorArea: Int
    let ownersShare: String

    var input: EstateInput {
        get throws {
            try APIInput.limit(name, "name", max: 100)
            try APIInput.limit(address, "address", max: 200)
            return EstateInput(name: name, address: address, community: community, households: "\(households)", floorArea: "\(floorArea)",
                               ownersShare: ownersShare)
        }
    }
}

/// `POST /api/v1/companies` body.
struct CompanyRequest: Decodable {
    let name: String
    let uscc: String
    let region: String
    let contactName: String?
    let contactPhone: String?
    let address: String?

    var input: CompanyInput {
        get throws {
            try APIInput.limit(name, "name", max: 100)
            try APIInput.limit(contactName, "contactName", max: 50)
            try APIInput.limit(contactPhone, "contactPhone", max: 30)
            try APIInput.limit(address, "address", max: 200)
            return CompanyInput(name: name, uscc: uscc, region: region, contactName: contactName ?? "", contactPhone: contactPhone ?? "",
                                address: address ?? "")
        }
    }
}
