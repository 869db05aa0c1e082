import Foundation
/// 经营收入 categories of the unified format.
public enum IncomeCategory: String, Sendable, CaseIterable, Codable {
    case parking
    case advertisingElevator = "advertising_elevator"
    case advertisingOther = "advertising_other"
    case venueRental = "venue_rental"
    case telecom
    case locker
    case evCharging = "ev_charging"
    case other

    public var title: String {
        switch self {
        case .parking: "停车费"
        case .advertisingElevator: "电梯广告"
        case .advertisingOther: "其他广告"
        case .venueRental: "场地租赁"
        case .telecom: "通信基站"
        case .locker: "快递柜/智能柜"
        case .evCharging: "充电桩"
        case .other: "其他"
        }
    }
}
