import Foundation
/// What a user submits to create or edit an estate, as typed (the form, the API, CSV import); validated in core.
public struct EstateInput: Sendable {
    public var name: String
    public var address: String
    public var community: String
    public var households: String
    public var floorArea: String
    /// A percentage, e.g. `70` or `70.5`.
    public var ownersShare: String

    public init(name: String, address: String, community: String, households: String, floorArea: String, ownersShare: String) {
        (self.name, self.address, self.community) = (name, address, community)
        (self.households, self.floorArea, self.ownersShare) = (households, floorArea, ownersShare)
    }

    /// The checked values an estate is stored with.
    public struct Valid: Sendable {
        public let name: String
        public let address: String
        public let communityCode: String
        public let households: Int
        public let floorArea: Int
        public let ownersShareBp: Int
    }

    /// Every problem as a field error keyed `name`, `address`, `community`, `households`, `floorArea`, `ownersShare`.
    public func validated() throws -> Valid {
        var reader = InputReader()
        let valid = check(&reader)
        try reader.errors.throwIfAny()
        return valid
    }

    /// The checks, recording into `reader` (CSV import adds its own columns' errors to the same list).
    func check(_ reader: inout InputReader) -> Valid {
        Valid(
            name: reader.text(name, field: "name", label: "小区名称", max: 100),
            address: reader.text(address, field: "address", label: "地址", max: 200),
            communityCode: reader.text(community, field: "community", label: "所属社区", max: 20),
            households: reader.integer(households, field: "households", label: "户数", range: 1...100_000),
            floorArea: reader.integer(floorArea, field: "floorArea", label: "建筑面积（平方米）", range: 1...50_000_000),
            ownersShareBp: reader.percentBasisPoints(ownersShare, field: "ownersShare", label: "业主分成比例")
        )
    }
}
