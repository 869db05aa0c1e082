import Foundation
import LedgerCore

/// A well-formed disclosure like docs/design.md §5.1's example, to vary in tests.
public enum DisclosureSamples {
    public static func valid() -> DisclosureDocument {
        DisclosureDocument(
            income: [.init(category: "parking", description: "地面临时停车费", amount: "18600.00"),
                     .init(category: "advertising_elevator", description: "电梯广告", amount: "6000")],
            costs: [.init(description: "停车管理员工资", amount: "6000.00")],
            distribution: .init(ownersShare: "13020.00", companyShare: "5580.00"),
            expenditures: [.init(description: "更换单元门禁", amount: "2400.00", decision: "2024年第2次业主大会决议")],
            transfer: .init(amount: "13020.00", date: "2024-07-10"),
            openingBalance: "50210.35",
            contact: .init(name: "王经理", phone: "0591-87654321"),
            display: .init(from: "2024-07-05", until: "2024-08-05"))
    }
}
