import Foundation
import SQLKit

/// A status a case can be in: a stored code and the word people read.
public protocol CaseStatus: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    var title: String { get }
}

/// A closed list stored as a code (sources, severities): the code and the word people read.
public protocol CaseCode: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    var title: String { get }
}

/// What one kind of case (a complaint, a problem, and next inspections and audits) declares so that the shared
/// kernel can list, filter, page, stream and record its history. Everything else about a case — who sees which
/// rows, how a row decodes, which steps exist — is the kind's own; the list, the filter, the export and the event
/// history are written once, in `Casework`.
public protocol CaseKind: Sendable {
    associatedtype Item: Sendable
    associatedtype Status: CaseStatus
    associatedtype Source: CaseCode

    /// The table, its alias and the columns the shared filter reads.
    static var table: CaseTable { get }
    /// `SELECT … FROM <table> <alias> JOIN …` returning what `decode` reads; the estate joined as `e`.
    static var select: SQLQueryString { get }
    /// Which rows a scope may see (in the data layer: no list or lookup goes around it).
    static func visible(to scope: Scope) -> SQLQueryString
    static func decode(_ row: any SQLRow) throws -> Item
    static func id(of item: Item) -> Int64
    /// Statuses in which a case past its deadline counts as overdue.
    static var overdueStatuses: [Status] { get }
    /// What the free-text search matches, or nil where the kind has no search (`like` is `%text%`, escaped).
    static func search(_ text: String, like: String) -> SQLQueryString?
}

/// A kind's storage: table and alias, and the column names the kernel filters on.
public struct CaseTable: Sendable {
    /// The entity name in audit entries, attachments and events (`complaint`, `problem`).
    public let entity: String
    public let name: String
    public let alias: String
    /// When the case was opened (received, found): the date filter and the ledger's order read it.
    public let openedAt: String
    /// The events table and its key to the case.
    public let events: String
    /// The list's order (most pressing first).
    public let order: SQLQueryString
    /// The columns a list may be ordered by (`CaseFilter.sort`), each key with its expression; the list's own order
    /// breaks ties.
    public let sorts: [String: SQLQueryString]

    public init(entity: String, name: String, alias: String, openedAt: String, events: String, order: SQLQueryString,
                sorts: [String: SQLQueryString] = [:]) {
        self.entity = entity
        self.name = name
        self.alias = alias
        self.openedAt = openedAt
        self.events = events
        self.order = order
        self.sorts = sorts
    }

    /// `alias.column`, for constant column names only.
    func column(_ name: String) -> SQLQueryString { "\(unsafeRaw: alias).\(unsafeRaw: name)" }
}

/// One step in a case's history. `isPublic` steps are what a complainant or the public may read, in `publicNote`'s
/// words where those differ from the internal note.
public struct CaseEvent: Sendable, Codable {
    public let at: String
    public let username: String
    public let role: String
    public let action: String
    public let note: String
    public let isPublic: Bool

    public init(at: String, username: String, role: String, action: String, note: String, isPublic: Bool) {
        self.at = at
        self.username = username
        self.role = role
        self.action = action
        self.note = note
        self.isPublic = isPublic
    }
}
