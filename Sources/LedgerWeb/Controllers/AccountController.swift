import Foundation
import Hummingbird
import LedgerCore

/// The signed-in user's own account (password, two-factor sign-in) and account administration for the admin and,
/// within their jurisdiction, regulators.
struct AccountController {
    let admin: AccountAdmin
    let twoFactor: TwoFactor
    let regions: RegionDirectory
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/account", use: own)
        router.post("/account/password", use: changePassword)
        router.post("/account/totp/begin", use: beginTOTP)
        router.post("/account/totp/confirm", use: confirmTOTP)
        router.post("/account/totp/acknowledge", use: acknowledgeCodes)
        router.get("/accounts", use: list)
        router.get("/accounts/new", use: new)
        router.post("/accounts", use: create)
        router.post("/accounts/two-factor", use: setPolicy)
        router.get("/accounts/:id", use: show)
        router.post("/accounts/:id", use: act)
    }

    // MARK: Own account

    @Sendable func own(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await ownPage(context: context, errors: FieldErrors(), totpError: nil)
    }

    private func ownPage(context: AppRequestContext, errors: FieldErrors, totpError: String?) async throws -> Response {
        let scope = try context.scope()
        let user = context.user!
        let status = try await twoFactor.status(scope: scope)
        let notice: String? = user.mustChangePassword == 1 ? "管理员已重置您的密码，请先设置新密码再继续使用。"
            : user.mustEnrolTOTP ? "您的角色须启用两步验证（手机验证器动态码），请先完成绑定再继续使用。" : nil
        let model = OwnAccountPage(
            layout: Layout(title: "我的账号", context: context, section: "/account", notice: notice), user: user,
            current: Field("current", [:], errors), password: Field("password", [:], errors), confirmation: Field("confirmation", [:], errors),
            passwordErrors: errors.items.filter { $0.field == "password" }.map(\.message),
            passwordInvalid: errors.message(for: "password") != nil,
            totp: TOTPSection(status, username: user.username), totpError: totpError)
        return renderer.render(.accountOwn, model, status: errors.isEmpty && totpError == nil ? .ok : .badRequest)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        return try await submitting {
            try await admin.changeOwnPassword(current: context.form["current"] ?? "", new: context.form["password"] ?? "",
                                              confirmation: context.form["confirmation"] ?? "", keepSession: context.sessionToken, scope: scope)
            return .redirect(to: "/account?done=password", type: .normal)
        } reshow: { errors in
            try await ownPage(context: context, errors: errors, totpError: nil)
        }
    }

    @Sendable func beginTOTP(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await twoFactor.begin(scope: try context.scope())
        return .redirect(to: "/account#totp", type: .normal)
    }

    @Sendable func confirmTOTP(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        do {
            try await twoFactor.confirm(code: context.form["code"] ?? "", scope: scope)
            return .redirect(to: "/account#totp", type: .normal)
        } catch let error as LedgerError where error.kind == .invalid || error.kind == .conflict {
            return try await ownPage(context: context, errors: FieldErrors(), totpError: error.message)
        }
    }

    @Sendable func acknowledgeCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await twoFactor.acknowledgeRecoveryCodes(scope: try context.scope())
        return .redirect(to: "/account#totp", type: .normal)
    }

    // MARK: Administration

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        var filter = AccountAdmin.Filter()
        filter.search = query["q"].map(String.init) ?? ""
        filter.role = query["role"].flatMap { Role(rawValue: String($0)) }
        filter.status = query["status"].map(String.init).flatMap { ["active", "disabled"].contains($0) ? $0 : nil } ?? ""
        filter.page = query["page"].flatMap { Int(String($0)) } ?? 1
        let page = try await admin.list(filter, scope: scope)
        let required = try await admin.rolesRequiringTOTP()
        let model = AccountListPage(
            layout: Layout(title: "账号管理", context: context, section: "/accounts",
                           notice: query["done"] == "policy" ? "已保存。所选角色的用户下次登录时须先绑定手机验证器。" : nil),
            search: filter.search, rows: page.items.map(AccountRow.init),
            roles: [Option(value: "", label: "全部角色", selected: filter.role == nil)]
                + AccountAdmin.manageableRoles(for: scope).map { Option(value: $0.rawValue, label: $0.title, selected: $0 == filter.role) },
            statuses: [("", "全部状态"), ("active", "正常"), ("disabled", "已停用")].map { Option(value: $0.0, label: $0.1, selected: $0.0 == filter.status) },
            pager: Pager(page, base: "/accounts", query: [("q", filter.search), ("role", filter.role?.rawValue ?? ""), ("status", filter.status)]),
            empty: page.items.isEmpty, canSetPolicy: scope.can(.setTwoFactorPolicy),
            policy: Role.allCases.map { RoleChoice(value: $0.rawValue, title: $0.title, checked: required.contains($0)) })
        return renderer.render(.accounts, model)
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await form(context: context, values: [:], errors: FieldErrors())
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard !AccountAdmin.manageableRoles(for: scope).isEmpty else { throw LedgerError.forbidden }
        let fields = context.form.fields
        return try await submitting {
            let input = try Self.newUser(fields)
            let user = try await admin.create(input, scope: scope)
            return .redirect(to: "/accounts/\(user.id)?done=created", type: .normal)
        } reshow: { errors in
            try await form(context: context, values: fields, errors: errors)
        }
    }

    /// The create form's fields as a typed new account; every missing or malformed field is named at once (the
    /// checks themselves are the core's, `UserDirectory.problems`).
    static func newUser(_ fields: [String: String]) throws -> NewUser {
        func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors = FieldErrors()
        let (company, estate) = (text("company"), text("estate"))
        if !company.isEmpty && Int64(company) == nil { errors.add("company", code: "not_integer", "物业服务企业编号应为数字") }
        if !estate.isEmpty && Int64(estate) == nil { errors.add("estate", code: "not_integer", "小区编号应为数字") }
        let new = (username: text("username"), password: fields["password"] ?? "", displayName: text("displayName"),
                   role: Role(rawValue: text("role")), region: text("region").isEmpty ? nil : text("region"))
        let problems = UserDirectory.problems(username: new.username, password: new.password, displayName: new.displayName, role: new.role,
                                              regionCode: new.region, companyId: company.isEmpty ? nil : Int64(company) ?? 0,
                                              estateId: estate.isEmpty ? nil : Int64(estate) ?? 0)
        try FieldErrors(merging: errors, problems).throwIfAny()
        return NewUser(username: new.username, password: new.password, displayName: new.displayName, role: new.role!,
                       regionCode: new.region, companyId: Int64(company), estateId: Int64(estate))
    }

    private func form(context: AppRequestContext, values: [String: String], errors: FieldErrors) async throws -> Response {
        let scope = try context.scope()
        let roles = AccountAdmin.manageableRoles(for: scope)
        guard !roles.isEmpty else { throw LedgerError.forbidden }
        let regionChoices = try await regions.subRegions(scope: scope)
        let model = AccountFormPage(
            layout: Layout(title: "新建账号", context: context, section: "/accounts"),
            username: Field("username", values, errors), displayName: Field("displayName", values, errors),
            password: Field("password", values.filter { $0.key != "password" }, errors),
            passwordErrors: errors.items.filter { $0.field == "password" }.map(\.message),
            passwordInvalid: errors.message(for: "password") != nil,
            role: Field("role", values, errors), region: Field("region", values, errors),
            company: Field("company", values, errors), estate: Field("estate", values, errors),
            roles: roles.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == values["role"]) },
            regions: regionChoices.map { Option(value: $0.code, label: ($0.level == .street ? "　" : "") + $0.name, selected: $0.code == values["region"]) },
            ownRegion: context.user?.regionCode ?? "")
        return renderer.render(.accountForm, model, status: errors.isEmpty ? .ok : .badRequest)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        return try await detail(id, context: context, errors: FieldErrors(), done: request.uri.queryParameters["done"].map(String.init))
    }

    private func detail(_ id: Int64, context: AppRequestContext, errors: FieldErrors, done: String?) async throws -> Response {
        let scope = try context.scope()
        let account = try await admin.account(id, scope: scope)
        let sessions = try await admin.sessions(of: id, scope: scope)
        let notice: String? = switch done {
        case "created": "账号已创建。请将用户名和初始密码当面或通过安全渠道告知本人。"
        case "disable": "账号已停用，其所有会话已结束。"
        case "enable": "账号已启用。"
        case "reset_password": "密码已重置，该用户下次登录须设置新密码；其所有会话已结束。"
        case "reset_totp": "两步验证已解除，该用户须重新绑定；其所有会话已结束。"
        case "end_session": "会话已结束。"
        default: nil
        }
        let model = AccountDetailPage(
            layout: Layout(title: "账号：\(account.username)", context: context, section: "/accounts", notice: notice),
            account: AccountRow(account), sessions: sessions.map(SessionRow.init), hasSessions: !sessions.isEmpty,
            isSelf: account.id == scope.userId,
            password: Field("password", [:], errors), passwordErrors: errors.items.filter { $0.field == "password" }.map(\.message),
            passwordInvalid: errors.message(for: "password") != nil,
            actionError: errors.items.first { $0.field != "password" }?.message)
        return renderer.render(.account, model, status: errors.isEmpty ? .ok : .badRequest)
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        let action = context.form["action"] ?? ""
        _ = try await admin.account(id, scope: scope)
        return try await submitting {
            switch action {
            case "disable":
                guard context.form["confirm"] == "1" else { throw LedgerError.invalid("confirm", code: "confirm", "请勾选“确认停用”后再提交") }
                try await admin.setDisabled(id, disabled: true, scope: scope)
            case "enable": try await admin.setDisabled(id, disabled: false, scope: scope)
            case "reset_password": try await admin.resetPassword(id, temporary: context.form["password"] ?? "", scope: scope)
            case "reset_totp":
                guard context.form["confirm"] == "1" else { throw LedgerError.invalid("confirm", code: "confirm", "请勾选“确认解除”后再提交") }
                try await admin.resetTOTP(id, scope: scope)
            case "end_session": try await admin.endSession(id, session: context.form["session"] ?? "", scope: scope)
            default: throw LedgerError.invalid("action", code: "unknown_action", "未知的操作")
            }
            return .redirect(to: "/accounts/\(id)?done=\(action)", type: .normal)
        } reshow: { errors in
            try await detail(id, context: context, errors: errors, done: nil)
        }
    }

    /// Admin: the roles that must use two-factor sign-in.
    @Sendable func setPolicy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let roles = Set((context.form.lists["require"] ?? []).compactMap(Role.init(rawValue:)))
        try await admin.setRolesRequiringTOTP(roles, scope: scope)
        return .redirect(to: "/accounts?done=policy", type: .normal)
    }
}
