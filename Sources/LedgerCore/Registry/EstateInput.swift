import Foundation
/// What a user submits to create or edit an estate, validated into typed values.
public struct EstateInput: Sendable {
    public var name: String
    public var address: String
    public var communityCode: String
    public var households: Int
    public var floorArea: Int
    public var ownersShareBp: Int

    /// Validates raw form or API fields: `name`, `address`, `community`, `households`, `floorArea`, `ownersShare` (percent).
    public static func validate(_ fields: [String: String]) throws -> EstateInput {
        var reader = InputReader(fields)
        let input = EstateInput(
            name: reader.text("name", label: "小区名称", max: 100),
            address: reader.text("address", label: "地址", max: 200),
            communityCode: reader.text("community", label: "所属社区", max: 20),
            households: reader.integer("households", label: "户数", range: 1...100_000),
            floorArea: reader.integer("floorArea", label: "建筑面积（平方米）", range: 1...50_000_000),
            ownersShareBp: reader.percentBasisPoints("ownersShare", label: "业主分成比例")
        )
        try reader.errors.throwIfAny()
        return input
    }
}
