import Crypto
import Foundation
import SQLKit

/// 投诉举报、问题线索: intake from the public and from staff, handling to closure (销号), the complainant's tracking page,
/// transfer to a department or the discipline commission. Complainants' names and phones are masked for everyone but
/// the handling officer, and showing them is audited.
public struct Complaints: Sendable {
    public enum Status: String, CaseStatus, Codable {
        case received, assigned, transferred, closed

        public var title: String {
            switch self {
            case .received: "待分派"
            case .assigned: "办理中"
            case .transferred: "已移交待反馈"
            case .closed: "已办结"
            }
        }
    }

    public struct Complaint: Sendable {
        public let id: Int64
        public let trackingCode: String
        public let source: ComplaintSource
        public let sourceRef: String?
        public let estateId: Int64
        public let estateName: String
        public let companyId: Int64?
        public let companyName: String?
        public let regionPath: String
        public let category: String
        public let content: String
        public let complainantName: String?
        public let complainantPhone: String?
        public let receivedAt: String
        public let receivedBy: String
        public let handlingRegion: String?
        public let handlingRegionName: String?
        public let handler: String?
        public let deadline: String?
        public let status: Status
        public let outcome: ComplaintOutcome?
        public let closedAt: String?
        public let closureNote: String?
        public let reply: String?
        public let repliedAt: String?
        public let reopenedCount: Int
        public let transferredTo: String?
        public let transferDecision: String?
        public let problemId: Int64?
        /// The complainant's name and phone were erased after the retention period (`PersonalDataRetention`).
        public var personalErased = false

        public var categoryTitle: String { ProblemCategory.named(category)?.title ?? category }
        public var maskedName: String { personalErased ? "已按期删除" : Complaints.maskName(complainantName) }
        public var maskedPhone: String { personalErased ? "已按期删除" : Complaints.maskPhone(complainantPhone) }
        public func isOverdue(today: Day) -> Bool { status != .closed && (deadline.flatMap(Day.init).map { $0 < today } ?? false) }
    }

    public typealias Event = CaseEvent

    /// What the complainant sees on the tracking page: no personal data, no internal notes.
    public struct Tracking: Sendable {
        public let trackingCode: String
        public let estateName: String
        public let categoryTitle: String
        public let sourceTitle: String
        public let receivedAt: String
        public let deadline: String?
        public let status: Status
        public let outcome: ComplaintOutcome?
        public let closedAt: String?
        public let publicEvents: [Event]
        /// The public reply of the latest closure (or the latest reply given during handling).
        public let reply: String?
        public let repliedAt: String?
        /// The rating of the current closure, once given.
        public let rating: GivenRating?
        /// The rating form is open: closed, not yet rated, within `ratingDays` of closing (until `rateUntil`, Beijing day).
        public let canRate: Bool
        public let ratingDays: Int
        public let rateUntil: String?
        /// Closed, not rated, and the window has passed: the page says so instead of showing the form.
        public let ratingExpired: Bool

        /// 不满意 reopens, so the rating form is also the way to ask for the complaint to be handled again.
        public var canReopen: Bool { canRate }
    }

    /// A possible duplicate shown before filing: only the date, category and status (no content, no code).
    public struct Similar: Sendable {
        public let receivedDay: String
        public let categoryTitle: String
        public let status: Status
    }

    public typealias Filter = CaseFilter

    /// Filings per address per hour on the public form.
    public static let hourlyLimit = 5
    /// Days after closure during which the complainant may rate the closure, and reopen it by rating 不满意: the default
    /// of the per-region setting `complaint_rating.days` (docs/design.md §8, §28).
    public static let reopenDays = 60

    let database: Database
    let clock: any LedgerClock
    let files: StoredFiles

    public init(database: Database, clock: any LedgerClock, filesDirectory: String) {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    // MARK: Masking

    public static func maskName(_ name: String?) -> String {
        guard let name, let first = name.first else { return "匿名" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    public static func maskPhone(_ phone: String?) -> String {
        guard let phone, !phone.isEmpty else { return "—" }
        return Mask.number(phone)
    }

    // MARK: Intake

    /// An uploaded file on a form.
    public struct Upload: Sendable {
        public let filename: String
        public let bytes: [UInt8]
        public init(filename: String, bytes: [UInt8]) {
            self.filename = filename
            self.bytes = bytes
        }
    }

    /// Checks a complaint without filing it (the public form shows possible duplicates before the complainant confirms).
    public static func check(_ input: ComplaintInput) -> FieldErrors { input.problems() }

    /// The public form (网上投诉): no login, anonymous allowed; limited per address. Returns the tracking code.
    public func file(_ input: ComplaintInput, uploads: [Upload], address: String) async throws -> String {
        try input.problems().throwIfAny()
        let checked = try uploads.map { try StoredFiles.check(filename: $0.filename, bytes: $0.bytes, label: "附件", field: "files") }
        let at = clock.now()
        return try await database.transaction { db in
            let addressHash = try await InstallationSecrets.addressHash(address, purpose: "complaint", on: db)
            let recent = try await db.raw("""
                SELECT COUNT(*) AS n FROM complaints WHERE address_hash = \(bind: addressHash) AND received_at > \(bind: Timestamp.storage(at - 3600))
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            guard recent < Self.hourlyLimit else {
                throw LedgerError(.locked, code: "rate_limited", message: "提交过于频繁，请一小时后再试；紧急情况请拨打12345热线")
            }
            let public_ = Scope(userId: nil, username: "public", role: .auditor, regionPath: nil, companyId: nil, estateId: nil)
            let (id, code) = try await Self.insert(input, source: .online, sourceRef: nil, receivedAt: at, receivedBy: "网上投诉",
                                                   addressHash: addressHash, on: db)
            for (upload, file) in zip(uploads, checked) {
                try files.write(file, bytes: upload.bytes)
                try await Self.attach(file, owner: "complaint", id: id, by: "public", at: at, on: db)
            }
            try await AuditLog.record(on: db, scope: public_, at: at, action: "file", entity: "complaint", entityId: "\(id)",
                                      regionPath: try await Self.regionPath(id, on: db), after: ["source": "online", "category": input.category],
                                      role: "anonymous")
            return code
        }
    }

    /// Staff intake for the other sources (热线, 来信, 来访, 来电, 信访, 上级交办, 媒体), with the source's own reference number.
    public func intake(_ input: ComplaintInput, scope: Scope) async throws -> Int64 {
        try scope.require(.intakeComplaint)
        var errors = input.problems()
        if input.source == nil || input.source == .online { errors.add("source", code: "unknown_source", "请选择来源（网上投诉由群众自行提交）") }
        var reader = InputReader(["sourceRef": input.sourceRef])
        let reference = reader.text("sourceRef", label: "来源编号（如工单号、信访件号）", max: 40)
        try FieldErrors(merging: errors, reader.errors).throwIfAny()
        guard let source = input.source, let estateId = input.estateId else { throw errors }
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else {
                throw LedgerError.invalid("estate", code: "not_found", "小区不存在或不在您的管辖范围内")
            }
            let (id, _) = try await Self.insert(input, source: source, sourceRef: reference, receivedAt: at, receivedBy: scope.username,
                                                addressHash: nil, on: db)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "intake", entity: "complaint", entityId: "\(id)",
                                      regionPath: estate.regionPath, after: ["source": source.rawValue, "ref": reference])
            return id
        }
    }

    static func insert(_ intake: ComplaintInput, source: ComplaintSource, sourceRef: String?, receivedAt at: Date, receivedBy: String,
                       addressHash: String?, on db: any SQLDatabase) async throws -> (Int64, String) {
        guard let estate = try await db.raw("""
            SELECT e.id, e.name, e.region_path, e.company_id FROM estates e WHERE e.id = \(bind: intake.estateId ?? 0)
            """).first() else { throw LedgerError(.notFound, code: "not_found", message: "所选小区不存在，请重新搜索", field: "estate") }
        let path = try estate.decode(column: "region_path", as: String.self)
        let company = try estate.decode(column: "company_id", as: Int64?.self)
        let codes = path.split(separator: "/").map(String.init)
        let street = codes.count >= 4 ? codes[3] : codes.last
        let days = try await RegionSettings.value("complaint_days.\(source.rawValue)", at: path, on: db)
        let deadline = Day(Timestamp.shanghaiDay(at))!.addingWorkingDays(days)
        let code = trackingCode()
        let now = Timestamp.storage(at)
        let id = try await db.raw("""
            INSERT INTO complaints (tracking_code, source, source_ref, estate_id, company_id, region_path, category, content, complainant_name,
                                    complainant_phone, received_at, received_by, handling_region, deadline, status, address_hash, updated_at)
            VALUES (\(bind: code), \(bind: source.rawValue), \(bind: sourceRef), \(bind: intake.estateId), \(bind: company), \(bind: path),
                    \(bind: intake.category), \(bind: intake.checkedContent), \(bind: intake.checkedName), \(bind: intake.checkedPhone), \(bind: now),
                    \(bind: receivedBy),
                    \(bind: street), \(bind: deadline.description), 'received', \(bind: addressHash), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        try await Casework.record(Complaints.self, id, at: at, username: receivedBy, role: source == .online ? "anonymous" : "staff", action: "receive",
                        note: "已受理（\(source.title)），办理时限 \(deadline)", isPublic: true, on: db)
        // The officers of the county, street and community that handle it are told in the same transaction (§29).
        try await Notifications.notify(.officers(coveringPath: path), kind: .complaintReceived,
                                       body: "\(try estate.decode(column: "name", as: String.self))收到\(source.title)投诉（\(ProblemCategory.named(intake.category)?.title ?? intake.category)），办理时限 \(deadline)",
                                       link: "/complaints/\(id)", at: at, on: db)
        return (id, code)
    }

    /// 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L): unguessable, easy to read out on the phone.
    static func trackingCode() -> String {
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        return "TS" + String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Complaints about the same estate and category in the last 90 days, shown before filing.
    public func similar(estateId: Int64, category: String) async throws -> [Similar] {
        let since = Timestamp.storage(clock.now() - 90 * 86_400)
        return try await database.read { db in
            try await db.raw("""
                SELECT received_at, category, status FROM complaints WHERE estate_id = \(bind: estateId) AND category = \(bind: category)
                AND received_at >= \(bind: since) ORDER BY received_at DESC LIMIT 10
                """).all().map {
                Similar(receivedDay: Timestamp.shanghaiDay(Timestamp.parse(try $0.decode(column: "received_at", as: String.self)) ?? .distantPast),
                        categoryTitle: ProblemCategory.named(try $0.decode(column: "category", as: String.self))?.title ?? "",
                        status: Status(rawValue: try $0.decode(column: "status", as: String.self)) ?? .received)
            }
        }
    }

    // MARK: Tracking (public)

    static let unknownCode = LedgerError(.notFound, code: "not_found", message: "查询码不存在，请核对后重新输入", field: "code")

    public func track(code raw: String) async throws -> Tracking {
        let code = raw.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count == 12, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { throw Self.unknownCode }
        return try await database.read { db in
            guard let complaint = try await Self.find(code: code, on: db) else { throw Self.unknownCode }
            let events = try await Self.events(complaint.id, publicOnly: true, on: db)
            let days = try await RegionSettings.value(Self.ratingDaysKey, at: complaint.regionPath, on: db)
            let rating: GivenRating? = if complaint.status == .closed { try await Self.rating(of: complaint, on: db) } else { nil }
            let open = complaint.status == .closed && rating == nil
            let within = complaint.closedAt.map { Self.withinWindow(closedAt: $0, days: days, now: clock.now()) } ?? false
            let until = complaint.closedAt.flatMap(Timestamp.parse).map { Timestamp.shanghaiDay($0 + Double(days) * 86_400) }
            return Tracking(trackingCode: complaint.trackingCode, estateName: complaint.estateName, categoryTitle: complaint.categoryTitle,
                            sourceTitle: complaint.source.title, receivedAt: complaint.receivedAt, deadline: complaint.deadline,
                            status: complaint.status, outcome: complaint.outcome, closedAt: complaint.closedAt, publicEvents: events,
                            reply: complaint.reply, repliedAt: complaint.repliedAt, rating: rating, canRate: open && within, ratingDays: days,
                            rateUntil: open ? until : nil, ratingExpired: open && !within)
        }
    }

    // MARK: Storage helpers

    static func find(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Complaint? {
        try await db.raw("\(select) WHERE c.id = \(bind: id) AND \(visible(to: scope))").first().map(decode)
    }

    static func find(code: String, on db: any SQLDatabase) async throws -> Complaint? {
        try await db.raw("\(select) WHERE c.tracking_code = \(bind: code)").first().map(decode)
    }

    static func regionPath(_ id: Int64, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT region_path FROM complaints WHERE id = \(bind: id)").first(decodingColumn: "region_path", as: String.self)
    }

    static func events(_ id: Int64, publicOnly: Bool, on db: any SQLDatabase) async throws -> [Event] {
        try await Casework.events(Complaints.self, id, publicOnly: publicOnly, publicWording: publicWording, on: db)
    }

    /// What the complainant reads of a step recorded before public wording was kept apart: never the handler's login or
    /// an internal note.
    static func publicWording(action: String, note: String) -> String {
        switch action {
        case "assign": "已分派承办单位办理"
        case "transfer": "已移交相关部门处理"
        default: note
        }
    }

    static func attach(_ file: StoredFiles.Checked, owner: String, id: Int64, by username: String, at: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO attachments (owner_type, owner_id, sha256, filename, content_type, size, uploaded_at, uploaded_by)
            VALUES (\(bind: owner), \(bind: id), \(bind: file.sha256), \(bind: file.filename), \(bind: file.contentType), \(bind: file.size),
                    \(bind: Timestamp.storage(at)), \(bind: username))
            """).run()
    }

    public static func decode(_ row: any SQLRow) throws -> Complaint {
        Complaint(
            id: try row.decode(column: "id", as: Int64.self), trackingCode: try row.decode(column: "tracking_code", as: String.self),
            source: ComplaintSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .online,
            sourceRef: try row.decode(column: "source_ref", as: String?.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
            estateName: try row.decode(column: "estate_name", as: String.self), companyId: try row.decode(column: "company_id", as: Int64?.self),
            companyName: try row.decode(column: "company_name", as: String?.self), regionPath: try row.decode(column: "region_path", as: String.self),
            category: try row.decode(column: "category", as: String.self), content: try row.decode(column: "content", as: String.self),
            complainantName: try row.decode(column: "complainant_name", as: String?.self),
            complainantPhone: try row.decode(column: "complainant_phone", as: String?.self),
            receivedAt: try row.decode(column: "received_at", as: String.self), receivedBy: try row.decode(column: "received_by", as: String.self),
            handlingRegion: try row.decode(column: "handling_region", as: String?.self),
            handlingRegionName: try row.decode(column: "handling_region_name", as: String?.self), handler: try row.decode(column: "handler", as: String?.self),
            deadline: try row.decode(column: "deadline", as: String?.self),
            status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .received,
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(ComplaintOutcome.init),
            closedAt: try row.decode(column: "closed_at", as: String?.self), closureNote: try row.decode(column: "closure_note", as: String?.self),
            reply: try row.decode(column: "reply", as: String?.self), repliedAt: try row.decode(column: "replied_at", as: String?.self),
            reopenedCount: try row.decode(column: "reopened_count", as: Int.self), transferredTo: try row.decode(column: "transferred_to", as: String?.self),
            transferDecision: try row.decode(column: "transfer_decision", as: String?.self), problemId: try row.decode(column: "problem_id", as: Int64?.self),
            personalErased: try row.decode(column: "personal_erased_at", as: String?.self) != nil)
    }
}

extension FieldErrors {
    /// Both lists' errors, in order.
    public init(merging a: FieldErrors, _ b: FieldErrors) {
        self.init()
        for error in a.items + b.items { add(error) }
    }
}
