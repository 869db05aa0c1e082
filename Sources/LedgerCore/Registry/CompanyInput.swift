import Foundation
/// What a user submits to register or edit a property company, as typed; validated in core.
public struct CompanyInput: Sendable {
    public var name: String
    public var uscc: String
    public var region: String
    public var contactName: String
    public var contactPhone: String
    public var address: String

    public init(name: String, uscc: String, region: String, contactName: String = "", contactPhone: String = "", address: String = "") {
        (self.name, self.uscc, self.region) = (name, uscc, region)
        (self.contactName, self.contactPhone, self.address) = (contactName, contactPhone, address)
    }

    /// The checked values a company is stored with.
    public struct Valid: Sendable {
        public let name: String
        public let uscc: String
        public let regionCode: String
        public let contactName: String
        public let contactPhone: String
        public let address: String
    }

    /// Every problem as a field error keyed `name`, `uscc`, `region`, `contactName`, `contactPhone`, `address`.
    public func validated() throws -> Valid {
        var reader = InputReader()
        let name = reader.text(self.name, field: "name", label: "企业名称", max: 100)
        let uscc = InputReader.halfWidth(reader.text(self.uscc, field: "uscc", label: "统一社会信用代码", max: 18 * 4)).uppercased()
        if !uscc.isEmpty, let problem = USCC.problem(with: uscc) {
            reader.errors.add("uscc", code: "invalid_uscc", problem)
        }
        let region = reader.text(self.region, field: "region", label: "注册地行政区划", max: 20)
        let contactName = reader.text(self.contactName, field: "contactName", label: "联系人", required: false, max: 50)
        let contactPhone = InputReader.halfWidth(reader.text(self.contactPhone, field: "contactPhone", label: "联系电话", required: false, max: 30))
        if !contactPhone.isEmpty, !contactPhone.allSatisfy({ $0.isASCII && ($0.isNumber || "-+ ()".contains($0)) }) {
            reader.errors.add("contactPhone", code: "bad_phone", "联系电话只能包含数字、空格和 - + ( )")
        }
        let address = reader.text(self.address, field: "address", label: "地址", required: false, max: 200)
        try reader.errors.throwIfAny()
        return Valid(name: name, uscc: uscc, regionCode: region, contactName: contactName, contactPhone: contactPhone, address: address)
    }
}
