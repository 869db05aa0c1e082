import Foundation
/// 物业服务企业: a property service company, identified by its 统一社会信用代码.
public struct Company: Sendable, Codable, Equatable {
    public let id: Int64
    public let name: String
    public let uscc: String
    public let regionCode: String
    public let regionName: String
    public let regionPath: String
    public let contactName: String
    public let contactPhone: String
    public let address: String
    public let estateCount: Int
    public let createdAt: String
    public let updatedAt: String
}
