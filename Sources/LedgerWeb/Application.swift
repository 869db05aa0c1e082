import Foundation
import Hummingbird
import LedgerCore
import Logging
import ServiceLifecycle

/// What the server needs to start; the `serve` and `demo` commands conform, tests pass their own.
public protocol AppArguments: Sendable {
    var hostname: String { get }
    var port: Int { get }
    var databaseURL: String { get }
    var logLevel: Logger.Level { get }
    /// Mark cookies `Secure` (set when the server sits behind TLS).
    var secureCookies: Bool { get }
    /// Where voucher files are kept (outside the database rows).
    var filesDirectory: String { get }
    /// The public address printed in notice QR codes (`https://ledger.example.gov.cn`); nil: as the request reached us.
    var publicBaseURL: String? { get }
    /// Addresses of load balancers whose `X-Forwarded-For` is believed.
    var trustedProxies: [String] { get }
    /// Browser tests only: routes that move the clock forward and run the daily jobs at once.
    var testHooks: Bool { get }
    /// The key that seals stored secrets; nil: from the environment or the key file (`SecretBox.configured`).
    var secrets: SecretBox? { get }
    /// Whether the daily jobs run inside this server (the HTTP tests turn them off to keep their data as built).
    var runsDailyJobs: Bool { get }
    /// The cache of rendered public pages; nil: a new one (tests pass their own to count renders).
    var publicPageCache: PublicPageCache? { get }
    /// Counts the staff list pages rendered (`SharedPages`); nil: a new one (tests pass their own to count renders).
    var staffPageRenders: RenderCounter? { get }
    /// The bearer token that opens `/metrics` to clients other than loopback; nil: loopback only.
    var metricsToken: String? { get }
    /// Delivers the outbox (SMS, WeChat template messages; docs/design.md §29); nil: `FileNotifier` — JSON lines in
    /// `LEDGER_OUTBOX_FILE` or `outbox.jsonl` beside the files directory (the data directory).
    var notifier: (any Notifier)? { get }
}

extension AppArguments {
    public var testHooks: Bool { false }
    public var secrets: SecretBox? { nil }
    public var runsDailyJobs: Bool { true }
    public var publicPageCache: PublicPageCache? { nil }
    public var staffPageRenders: RenderCounter? { nil }
    public var notifier: (any Notifier)? { nil }
    public var metricsToken: String? { ProcessInfo.processInfo.environment["LEDGER_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } }
}

/// Everything the routes use, built once.
public struct AppDependencies: Sendable {
    public let database: Database
    public let clock: any LedgerClock
    public let renderer: Renderer
    public let authPolicy: Authenticator.Policy
    /// Seals the TOTP seeds (key from the environment or the key file; tests use a per-process key).
    public let secrets: SecretBox
    public let filesDirectory: String
    public let publicBaseURL: String?
    public let trustedProxies: [String]
    /// Dashboard figures per region and quarter, kept while nothing has been written since (see `Dashboard`).
    public let dashboardCache = DashboardCache()
    /// Rendered public pages, each valid while its estate's stamp is unchanged (see `PublicPageCache`).
    public let publicPages: PublicPageCache
    /// Opens `/metrics` to a client that is not loopback (`LEDGER_METRICS_TOKEN`).
    public let metricsToken: String?
    /// Staff list pages kept rendered per role, scope, filter and stamp (see `SharedPages`).
    let sharedPages: SharedPages

    public init(database: Database, clock: any LedgerClock, renderer: Renderer, authPolicy: Authenticator.Policy = .init(),
                filesDirectory: String = NSTemporaryDirectory() + "ledger-files", publicBaseURL: String? = nil, trustedProxies: [String] = [],
                secrets: SecretBox = .ephemeral, publicPages: PublicPageCache = PublicPageCache(), metricsToken: String? = nil,
                staffPageRenders: RenderCounter = RenderCounter()) {
        self.publicPages = publicPages
        self.metricsToken = metricsToken
        self.secrets = secrets
        self.publicBaseURL = publicBaseURL
        self.trustedProxies = trustedProxies
        self.database = database
        self.clock = clock
        self.renderer = renderer
        self.authPolicy = authPolicy
        self.filesDirectory = filesDirectory
        self.sharedPages = SharedPages(database: database, renderer: renderer, renders: staffPageRenders)
    }
}

/// The composition root: the database (migrated), templates (checked), keys, services, routes and the application.
/// `serve`, `demo`, the HTTP tests and the benchmark all start here; it also returns the registered routes (the tests
/// walk them).
public func buildApplication(_ args: some AppArguments, clock givenClock: any LedgerClock = SystemClock()) async throws
    -> (application: Application<RouterResponder<AppRequestContext>>, routes: [(method: HTTPRequest.Method, path: String)]) {
    let offsetClock = args.testHooks ? OffsetClock() : nil
    let clock: any LedgerClock = offsetClock ?? givenClock
    var logger = Logger(label: "ledger")
    logger.logLevel = args.logLevel
    Observability.start()
    let database = try await Database.open(url: args.databaseURL, logger: logger)
    let renderer: Renderer
    let secrets: SecretBox
    do {
        try await Migrator(database: database).migrate(now: clock.now())
        renderer = try await Renderer.load()
        // The key file lives beside the voucher files (outside the database) unless the environment names a key.
        let parent = (args.filesDirectory as NSString).deletingLastPathComponent
        secrets = try args.secrets ?? SecretBox.configured(defaultFile: (parent.isEmpty ? "." : parent) + "/secret.key")
    } catch {
        await database.close()
        throw error
    }
    let dependencies = AppDependencies(database: database, clock: clock, renderer: renderer, filesDirectory: args.filesDirectory,
                                       publicBaseURL: args.publicBaseURL, trustedProxies: args.trustedProxies, secrets: secrets,
                                       publicPages: args.publicPageCache ?? PublicPageCache(), metricsToken: args.metricsToken,
                                       staffPageRenders: args.staffPageRenders ?? RenderCounter())
    let router = buildRouter(dependencies, secureCookies: args.secureCookies)
    // The outbox's provider (docs/design.md §29): the deployment's own, or JSON lines in the data directory.
    let dataDirectory = (args.filesDirectory as NSString).deletingLastPathComponent
    let notifier: any Notifier = args.notifier ?? FileNotifier.configured(dataDirectory: dataDirectory.isEmpty ? "." : dataDirectory)
    if let offsetClock {
        logger.warning("test hooks are on: POST /api/test/clock and /api/test/jobs move the clock and run the daily jobs")
        TestHooks(clock: offsetClock, jobs: DailyJobs(database: database, clock: offsetClock, notifier: notifier)).addRoutes(to: router)
    }
    let routes = router.routes.map { (method: $0.method, path: $0.path.description) }
    var services: [any Service] = [DatabaseService(database: database)]
    if args.runsDailyJobs { services.append(DailyJobService(jobs: DailyJobs(database: database, clock: clock, notifier: notifier), logger: logger)) }
    let application = Application(
        router: router,
        configuration: .init(address: .hostname(args.hostname, port: args.port), serverName: "CommonsLedger"),
        services: services,
        logger: logger
    )
    return (application, routes)
}

/// The routes: public ones first, then those that need a signed-in user.
public func buildRouter(_ deps: AppDependencies, secureCookies: Bool = false) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let db = deps.database, clock = deps.clock
    let authenticator = Authenticator(database: db, clock: clock, policy: deps.authPolicy, secrets: deps.secrets)
    let estates = EstateRepository(database: db, clock: clock)
    let companies = CompanyRepository(database: db, clock: clock)
    let records = EstateRecords(database: db, clock: clock)
    let regions = RegionDirectory(database: db)
    let vouchers = VoucherStore(database: db, clock: clock, directory: deps.filesDirectory)
    // Each service once; the controllers share them.
    let log = TransparencyLog(database: db)
    let history = DisclosureHistory(database: db)
    let questions = OwnerQuestions(database: db, clock: clock)
    let inbox = WarningInbox(database: db, clock: clock)
    let disclosures = DisclosureRepository(database: db, clock: clock)
    let complaints = Complaints(database: db, clock: clock, filesDirectory: deps.filesDirectory)
    let audits = Audits(database: db, clock: clock, filesDirectory: deps.filesDirectory)

    // Outermost: counts and times every request by route and status, whatever the middlewares below answer.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    let routeTable = RouteTable()
    router.add(middleware: ErrorMiddleware(renderer: deps.renderer, routes: routeTable))
    router.add(middleware: ClientAddressMiddleware(trustedProxies: Set(deps.trustedProxies)))
    router.add(middleware: FileMiddleware(Renderer.publicDirectory, urlBasePath: "/static", searchForIndexHtml: false))
    router.add(middleware: SessionMiddleware(authenticator: authenticator, notifications: Notifications(database: db, clock: clock)))
    router.add(middleware: FormMiddleware(secureCookies: secureCookies, routes: routeTable))

    HealthController(database: db).addRoutes(to: router)
    MetricsController(token: deps.metricsToken).addRoutes(to: router)
    AuthController(authenticator: authenticator, renderer: deps.renderer, secureCookies: secureCookies).addRoutes(to: router)
    SessionAPI(authenticator: authenticator).addRoutes(to: router)
    LogAPI(log: log).addRoutes(to: router)
    let selfInspections = SelfInspections(database: db, clock: clock, filesDirectory: deps.filesDirectory)
    PublicController(estates: estates, records: records, history: history, log: log,
                     regions: regions, questions: questions, vouchers: vouchers,
                     inspections: InspectionRecords(database: db, clock: clock), selfInspections: selfInspections,
                     decisions: OwnerDecisions(database: db, clock: clock, filesDirectory: deps.filesDirectory),
                     demonstrations: Demonstrations(database: db, clock: clock), audits: audits, publicBaseURL: deps.publicBaseURL,
                     renderer: deps.renderer, clock: clock)
        .addRoutes(to: router.group().add(middleware: PublicPageCacheMiddleware(cache: deps.publicPages, stamps: PublicStamps(database: db, clock: clock, freshness: .seconds(1)))))
    PublicAuditController(audits: audits, renderer: deps.renderer).addRoutes(to: router)

    let protected = router.group().add(middleware: RequireLogin()).add(middleware: PermissionMiddleware())
    AccountController(admin: AccountAdmin(database: db, clock: clock), twoFactor: TwoFactor(database: db, clock: clock, secrets: deps.secrets),
                      regions: regions, renderer: deps.renderer).addRoutes(to: protected)
    // `/` is public: staff with a session get their home (through the same login checks), visitors the portal.
    HomeController(overview: RegistryOverview(database: db, clock: clock), portal: PublicPortal(database: db, clock: clock),
                   plans: InspectionPlans(database: db, clock: clock), todo: TodoList(database: db, clock: clock), renderer: deps.renderer)
        .addRoutes(to: router)
    NotificationController(notifications: Notifications(database: db, clock: clock), renderer: deps.renderer).addRoutes(to: protected)
    EstateController(estates: estates, records: records, regions: regions,
                     questions: questions, renderer: deps.renderer, pages: deps.sharedPages, clock: clock)
        .addRoutes(to: protected)
    DecisionController(decisions: OwnerDecisions(database: db, clock: clock, filesDirectory: deps.filesDirectory), renderer: deps.renderer)
        .addRoutes(to: protected)
    let credit = CreditFile(database: db, clock: clock, filesDirectory: deps.filesDirectory)
    CompanyController(companies: companies, estates: estates, regions: regions, credit: credit, renderer: deps.renderer).addRoutes(to: protected)
    RegionController(regions: regions, estates: estates, renderer: deps.renderer).addRoutes(to: protected)
    ImportController(importer: RegistryImport(database: db, clock: clock), renderer: deps.renderer).addRoutes(to: protected)
    AuditController(database: db, clock: clock, renderer: deps.renderer).addRoutes(to: protected)
    WarningController(inbox: inbox, parameters: WarningParameters(database: db, clock: clock),
                      regions: regions, renderer: deps.renderer, pages: deps.sharedPages, clock: clock).addRoutes(to: protected)
    WarningAPI(inbox: inbox).addRoutes(to: protected)
    let inspectionPlans = InspectionPlans(database: db, clock: clock)
    let inspectionRecords = InspectionRecords(database: db, clock: clock, filesDirectory: deps.filesDirectory)
    InspectionAPI(plans: inspectionPlans).addRoutes(to: protected)
    InspectionController(plans: inspectionPlans, records: inspectionRecords, inspectors: Inspectors(database: db, clock: clock),
                         checklists: Checklists(database: db, clock: clock), regions: regions, renderer: deps.renderer, clock: clock)
        .addRoutes(to: protected)
    PublicInspectionController(plans: inspectionPlans, renderer: deps.renderer).addRoutes(to: router)
    CrossInspectionAPI(cross: CrossInspections(database: db, clock: clock)).addRoutes(to: protected)
    PublicCreditController(credit: credit, renderer: deps.renderer).addRoutes(to: router)
    CreditAPI(credit: credit).addRoutes(to: protected)
    CreditController(credit: credit, regions: regions, renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    CreditRulesController(regions: regions, database: db, renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    PublicComplaintController(complaints: complaints, estates: estates, renderer: deps.renderer).addRoutes(to: router)
    ComplaintController(complaints: complaints, regions: regions, renderer: deps.renderer, pages: deps.sharedPages, clock: clock).addRoutes(to: protected)
    ProblemController(problems: Problems(database: db, clock: clock, filesDirectory: deps.filesDirectory),
                      escalation: Escalation(database: db, clock: clock), regions: regions, renderer: deps.renderer, pages: deps.sharedPages, clock: clock)
        .addRoutes(to: protected)
    DashboardController(dashboard: Dashboard(database: db, clock: clock, cache: deps.dashboardCache), regions: regions, renderer: deps.renderer,
                        pages: deps.sharedPages)
        .addRoutes(to: protected)
    CampaignController(campaigns: Campaigns(database: db, clock: clock), regions: regions, renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    ReportController(report: SummaryReport(database: db, clock: clock), regions: regions, renderer: deps.renderer, pages: deps.sharedPages, clock: clock).addRoutes(to: protected)
    InspectionLedgerController(ledgers: InspectionLedgers(database: db, clock: clock), publicity: DoublePublicity(database: db), clock: clock).addRoutes(to: protected)
    CrossInspectionController(cross: CrossInspections(database: db, clock: clock), renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    AccountRegisterController(register: AccountRegister(database: db), ledgers: InspectionLedgers(database: db, clock: clock), regions: regions,
                              renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    ThirdPartyAuditController(audits: audits, orgs: AuditorOrgs(database: db, clock: clock), history: history, vouchers: vouchers,
                              renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    DemonstrationController(demonstrations: Demonstrations(database: db, clock: clock), renderer: deps.renderer).addRoutes(to: protected)
    SupervisionController(letters: RegionLetters(database: db, clock: clock), bulletins: MonthlyBulletin(database: db, clock: clock), regions: regions,
                          renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    SettingsController(settings: RegionSettings(database: db, clock: clock), enforcement: Enforcement(database: db, clock: clock),
                       companies: companies, regions: regions, renderer: deps.renderer).addRoutes(to: protected)
    RegistryAPI(regions: regions, estates: estates, records: records, companies: companies).addRoutes(to: protected)
    DisclosureAPI(repository: disclosures, history: history)
        .addRoutes(to: protected)
    FilingController(repository: disclosures, history: history,
                     calendar: DisclosureCalendar(database: db, clock: clock), vouchers: vouchers,
                     decisions: OwnerDecisions(database: db, clock: clock, filesDirectory: deps.filesDirectory),
                     importer: DisclosureImport(database: db, clock: clock), renderer: deps.renderer, pages: deps.sharedPages, clock: clock)
        .addRoutes(to: protected)
    SelfInspectionController(selfInspections: selfInspections, checklists: Checklists(database: db, clock: clock), estates: estates, regions: regions,
                             renderer: deps.renderer, clock: clock).addRoutes(to: protected)
    ChecklistController(checklists: Checklists(database: db, clock: clock), estates: estates, regions: regions, renderer: deps.renderer)
        .addRoutes(to: protected)
    routeTable.load(router.routes.map { (path: $0.path.description, method: $0.method) })
    return router
}

/// Keeps the database open while the server runs and closes it on shutdown.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}

/// Runs the daily jobs from inside `serve`: checks every ten minutes what is due; the database picks one server per job and day.
struct DailyJobService: Service {
    let jobs: DailyJobs
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                for (job, outcome) in await jobs.runDue() {
                    switch outcome {
                    case .ran(let summary): logger.info("daily job \(job) ran: \(summary)")
                    case .failed(let message): logger.error("daily job \(job) failed: \(message)")
                    case .notDue, .ranElsewhere: break
                    }
                }
                try? await Task.sleep(for: .seconds(600))
            }
        }
    }
}

/// `serve --test-hooks` only: move the clock forward and run the daily jobs now, so browser tests can walk an overdue
/// problem up the ladder without waiting. Never on in production (the flag says so in its help).
struct TestHooks {
    let clock: OffsetClock
    let jobs: DailyJobs

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let hooks = router.group().add(middleware: LoopbackOnly())
        hooks.post("/api/test/clock") { request, _ -> Response in
            let days = request.uri.queryParameters["days"].flatMap { Int($0) } ?? 1
            guard (1...400).contains(days) else { throw LedgerError.invalid("days", code: "out_of_range", "days 须在 1–400 之间") }
            guard clock.advance(days: days) else {
                throw LedgerError.invalid("days", code: "out_of_range", "测试时钟最多前移 \(OffsetClock.maxOffsetDays) 天")
            }
            return try JSONResponse.make(["now": Timestamp.storage(clock.now())])
        }
        hooks.post("/api/test/jobs") { _, _ -> Response in
            var result: [String: String] = [:]
            for (job, outcome) in await jobs.runDue(ignoringHour: true) { result[job] = "\(outcome)" }
            return try JSONResponse.make(result)
        }
    }
}

/// Test hooks answer only requests from this machine (the peer, or the client a trusted proxy reports, is loopback).
struct LoopbackOnly: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = context.remoteAddress
        guard address.hasPrefix("127.") || address == "::1" || address == "::ffff:127.0.0.1" else {
            throw LedgerError(.forbidden, code: "loopback_only", message: "测试接口只接受本机请求")
        }
        return try await next(request, context)
    }
}
