import Foundation
/// A disclosure as exchanged (API body, stored draft, canonical log entry): every value a string, exactly as
/// docs/design.md §5.1 shows it. `DisclosureChecks` turns it into `DisclosureContent` or field errors.
public struct DisclosureDocument: Sendable, Codable, Equatable {
    public struct Income: Sendable, Codable, Equatable {
        public var category: String
        public var description: String
        public var amount: String
        public init(category: String, description: String, amount: String) {
            (self.category, self.description, self.amount) = (category, description, amount)
        }
    }

    public struct Cost: Sendable, Codable, Equatable {
        public var description: String
        public var amount: String
        public init(description: String, amount: String) { (self.description, self.amount) = (description, amount) }
    }

    public struct Expenditure: Sendable, Codable, Equatable {
        public var description: String
        public var amount: String
        public var decision: String
        public init(description: String, amount: String, decision: String) {
            (self.description, self.amount, self.decision) = (description, amount, decision)
        }
    }

    public struct Distribution: Sendable, Codable, Equatable {
        public var ownersShare: String
        public var companyShare: String
        /// The register decision (`D3`) that agreed the owners' share ratio; absent when none is cited (docs/design.md §24).
        public var decision: String?
        public init(ownersShare: String, companyShare: String, decision: String? = nil) {
            (self.ownersShare, self.companyShare, self.decision) = (ownersShare, companyShare, decision)
        }
    }

    public struct Transfer: Sendable, Codable, Equatable {
        public var amount: String
        public var date: String
        /// `dedicated` (公共收益专户) or `maintenance_fund` (维修资金专户); absent means the dedicated account, so the
        /// canonical entries published before targets existed are unchanged (docs/design.md §24).
        public var target: String?
        public init(amount: String, date: String, target: String? = nil) { (self.amount, self.date, self.target) = (amount, date, target) }
    }

    public struct Contact: Sendable, Codable, Equatable {
        public var name: String
        public var phone: String
        public init(name: String, phone: String) { (self.name, self.phone) = (name, phone) }
    }

    public struct Display: Sendable, Codable, Equatable {
        public var from: String
        public var until: String
        public init(from: String, until: String) { (self.from, self.until) = (from, until) }
    }

    public var income: [Income]
    public var costs: [Cost]
    public var distribution: Distribution?
    public var expenditures: [Expenditure]
    public var transfer: Transfer?
    public var openingBalance: String?
    public var closingBalance: String?
    public var contact: Contact?
    public var display: Display?

    public init(income: [Income] = [], costs: [Cost] = [], distribution: Distribution? = nil, expenditures: [Expenditure] = [],
                transfer: Transfer? = nil, openingBalance: String? = nil, closingBalance: String? = nil,
                contact: Contact? = nil, display: Display? = nil) {
        self.income = income
        self.costs = costs
        self.distribution = distribution
        self.expenditures = expenditures
        self.transfer = transfer
        self.openingBalance = openingBalance
        self.closingBalance = closingBalance
        self.contact = contact
        self.display = display
    }

    enum CodingKeys: String, CodingKey {
        case income, costs, distribution, expenditures, transfer, openingBalance, closingBalance, contact, display
    }

    /// Missing lists decode as empty: a draft may be partial.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        income = try c.decodeIfPresent([Income].self, forKey: .income) ?? []
        costs = try c.decodeIfPresent([Cost].self, forKey: .costs) ?? []
        distribution = try c.decodeIfPresent(Distribution.self, forKey: .distribution)
        expenditures = try c.decodeIfPresent([Expenditure].self, forKey: .expenditures) ?? []
        transfer = try c.decodeIfPresent(Transfer.self, forKey: .transfer)
        openingBalance = try c.decodeIfPresent(String.self, forKey: .openingBalance)
        closingBalance = try c.decodeIfPresent(String.self, forKey: .closingBalance)
        contact = try c.decodeIfPresent(Contact.self, forKey: .contact)
        display = try c.decodeIfPresent(Display.self, forKey: .display)
    }
}
