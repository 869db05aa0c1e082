import Foundation
/// What a user submits to register or edit a property company, validated.
public struct CompanyInput: Sendable {
    public var name: String
    public var uscc: String
    public var regionCode: String
    public var contactName: String
    public var contactPhone: String
    public var address: String

    /// Validates raw fields: `name`, `uscc`, `region`, `contactName`, `contactPhone`, `address`.
    public static func validate(_ fields: [String: String]) throws -> CompanyInput {
        var reader = InputReader(fields)
        let name = reader.text("name", label: "企业名称", max: 100)
        let uscc = InputReader.halfWidth(reader.text("uscc", label: "统一社会信用代码", max: 18 * 4)).uppercased()
        if !uscc.isEmpty, let problem = USCC.problem(with: uscc) {
            reader.errors.add("uscc", code: "invalid_uscc", problem)
        }
        let region = reader.text("region", label: "注册地行政区划", max: 20)
        let contactName = reader.text("contactName", label: "联系人", required: false, max: 50)
        let contactPhone = InputReader.halfWidth(reader.text("contactPhone", label: "联系电话", required: false, max: 30))
        if !contactPhone.isEmpty, !contactPhone.allSatisfy({ $0.isASCII && ($0.isNumber || "-+ ()".contains($0)) }) {
            reader.errors.add("contactPhone", code: "bad_phone", "联系电话只能包含数字、空格和 - + ( )")
        }
        let address = reader.text("address", label: "地址", required: false, max: 200)
        try reader.errors.throwIfAny()
        return CompanyInput(name: name, uscc: uscc, regionCode: region, contactName: contactName, contactPhone: contactPhone, address: address)
    }
}
