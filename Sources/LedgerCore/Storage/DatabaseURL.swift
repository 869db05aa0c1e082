import Foundation
import PostgresKit

/// A parsed `--database` value.
enum DatabaseURL {
    case sqlite(path: String)
    case postgres(PostgresClient.Configuration)

    init(_ text: String) throws {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw StorageError.badURL(text) }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
                throw StorageError.badURL(text)
            }
            let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
            let sslmode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
            var configuration = PostgresClient.Configuration(
                host: host,
                port: url.port ?? 5432,
                username: url.user.map { $0.removingPercentEncoding ?? $0 } ?? "postgres",
                password: url.password.map { $0.removingPercentEncoding ?? $0 },
                database: database.isEmpty ? nil : database,
                tls: sslmode == "disable" ? .disable : .prefer(.makeClientConfiguration())
            )
            configuration.options.maximumConnections = 16
            self = .postgres(configuration)
        } else {
            throw StorageError.badURL(text)
        }
    }
}

/// Failures of the storage layer itself (not of the user's input).
public enum StorageError: Error, CustomStringConvertible {
    case badURL(String)
    case migrationFailed(String, underlying: String)

    public var description: String {
        switch self {
        case .badURL(let url): "数据库地址无法识别：\(url)（应为 sqlite://路径 或 postgres://用户:密码@主机/库名）"
        case .migrationFailed(let name, let underlying): "数据库迁移 \(name) 失败：\(underlying)"
        }
    }
}
