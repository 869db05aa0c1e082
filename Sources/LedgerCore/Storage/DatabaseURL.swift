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
            let rootCertificate = url.queryItems?.first { $0.name == "sslrootcert" }?.value
            var configuration = PostgresClient.Configuration(
                host: host,
                port: url.port ?? 5432,
                username: url.user.map { $0.removingPercentEncoding ?? $0 } ?? "postgres",
                password: url.password.map { $0.removingPercentEncoding ?? $0 },
                database: database.isEmpty ? nil : database,
                tls: try Self.tls(sslmode: sslmode, rootCertificate: rootCertificate)
            )
            configuration.options.maximumConnections = 16
            self = .postgres(configuration)
        } else {
            throw StorageError.badURL(text)
        }
    }
}

extension DatabaseURL {
    /// The `sslmode` values understood, as libpq means them.
    static let sslModes = ["disable", "prefer", "require", "verify-ca", "verify-full"]

    /// `disable`: plaintext. `prefer`: TLS when the server offers it. `require`: TLS or no connection (the certificate is
    /// not checked, as in libpq). `verify-ca`: TLS with a certificate signed by a trusted root. `verify-full`: that, and
    /// the certificate names the host. `sslrootcert=PATH` names the trusted root (otherwise the system's). Anything else
    /// is refused at start-up rather than quietly read as plaintext.
    static func tls(sslmode: String, rootCertificate: String?) throws -> PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate, !rootCertificate.isEmpty { configuration.trustRoots = .file(rootCertificate) }
        switch sslmode {
        case "disable":
            return .disable
        case "prefer":
            return .prefer(configuration)
        case "require":
            configuration.certificateVerification = .none
            return .require(configuration)
        case "verify-ca":
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case "verify-full":
            configuration.certificateVerification = .fullVerification
            return .require(configuration)
        default:
            throw StorageError.badSSLMode(sslmode)
        }
    }
}

/// Failures of the storage layer itself (not of the user's input).
public enum StorageError: Error, CustomStringConvertible {
    case badURL(String)
    case badSSLMode(String)
    case migrationFailed(String, underlying: String)

    public var description: String {
        switch self {
        case .badURL(let url): "数据库地址无法识别：\(url)（应为 sqlite://路径 或 postgres://用户:密码@主机/库名）"
        case .badSSLMode(let mode):
            "数据库地址中的 sslmode=\(mode) 无法识别（可用：\(DatabaseURL.sslModes.joined(separator: "、"))）；为免明文连接，服务不启动"
        case .migrationFailed(let name, let underlying): "数据库迁移 \(name) 失败：\(underlying)"
        }
    }
}
