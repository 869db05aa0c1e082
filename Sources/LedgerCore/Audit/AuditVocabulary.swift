import Foundation

/// The audit log in the words of the people who read it (the discipline commission, an administrator): each action and
/// each kind of object by its Chinese name, the object linked to its page, and the recorded before/after values as rows
/// of 项目 / 变更前 / 变更后. The stored entries keep their codes (the hash chain covers them); only the reading changes.
public enum AuditVocabulary {
    /// 动作: what the entry's `action` code means.
    public static let actions: [String: String] = [
        "create": "新建", "update": "修改", "set": "设置", "reset": "恢复默认", "record": "登记", "register": "登记注册",
        "publish": "发布", "correct": "更正发布", "save_draft": "保存草稿", "file": "提交", "file_report": "提交报告",
        "import": "批量导入", "escalate": "转为问题", "acknowledge": "确认知悉", "resolve": "办结", "dismiss": "排除（误报）",
        "reopen": "重新办理", "close": "办结", "assign": "交办", "transfer": "移交", "accept": "受理", "reject": "不予受理",
        "reply": "答复", "answer": "答复", "ask": "提问", "intake": "登记受理", "receive": "收到", "issue": "签发",
        "enforce": "执行", "draw": "抽取", "withdraw": "撤回", "nominate": "推荐", "confirm": "认定", "refuse": "不予认定",
        "decide": "决定", "request": "申请", "start_petition": "发起联名", "sign_petition": "联名签署", "petition_qualified": "联名达到法定比例",
        "verify_signature": "核实签名", "refuse_signature": "签名核实不通过", "issue_codes": "发放核验码", "add_finding": "登记审计发现",
        "bind_auditor": "绑定审计人员", "object": "提出异议", "apply_repair": "申请信用修复", "regrade": "重新评级", "collect": "归集",
        "record_false": "登记虚假自查", "publish_case": "公开典型案例", "list": "列入名单", "unlist": "移出名单",
        "acknowledge_black_list": "确认黑名单提示", "attach": "上传附件", "set_account": "登记专户", "assign_company": "登记物业服务合同",
        "add_task": "添加任务", "report": "报送", "warnings_run": "运行预警规则", "job_start": "定时任务开始", "demo_load": "载入演示数据",
        "login": "登录", "login_failed": "登录失败", "logout": "退出登录", "end_session": "结束会话", "change_password": "修改密码",
        "reset_password": "重置密码", "disable": "停用账号", "enable": "启用账号", "totp_begin": "开始绑定动态口令",
        "totp_enable": "启用动态口令", "totp_codes_kept": "确认已保存恢复码", "reset_totp": "重置动态口令", "require_totp": "要求动态口令",
        "unmask": "查看完整个人信息", "erase_personal_data": "到期删除个人信息", "rotate_secret_key": "更换加密密钥",
        "rotate_address_key": "更换地址摘要密钥",
    ]

    /// 对象: what kind of thing an entry is about, and where its page is (`{id}` for the entity id), if it has one.
    public static let entities: [String: (title: String, link: String?)] = [
        "estate": ("小区", "/estates/{id}"), "company": ("物业服务企业", "/companies/{id}"), "disclosure": ("公示", nil),
        "disclosure_question": ("业主提问", nil), "voucher": ("凭证", nil), "complaint": ("投诉举报", "/complaints/{id}"),
        "problem": ("问题", "/problems/{id}"), "warning": ("预警", "/warnings/{id}"), "warnings": ("预警规则运行", nil),
        "warning_parameter": ("预警参数", nil), "region_setting": ("地区设置", nil), "region_letter": ("督办函件", "/supervision/letters/{id}"),
        "campaign": ("专项整治", "/campaigns/{id}"), "campaign_task": ("整治任务", nil), "inspection_plan": ("抽查计划", "/inspections/plans/{id}"),
        "inspection_record": ("检查记录", "/inspections/visits/{id}"), "inspector": ("检查人员", nil), "checklist_version": ("检查清单", nil),
        "cross_inspection_round": ("交叉检查", "/inspections/cross/{id}"), "cross_inspection_group": ("交叉检查小组", "/inspections/cross/groups/{id}"),
        "self_inspection": ("自查自纠", "/self-inspections/{id}"), "self_inspections": ("自查自纠", nil), "committee": ("业主委员会", nil),
        "owner_decision": ("业主共同决定", nil), "demonstration": ("示范小区", "/demonstrations/{id}"), "audit": ("第三方审计", "/audits/{id}"),
        "auditor_org": ("审计机构", nil), "credit_event": ("信用事件", nil), "credit_events": ("信用事件", nil),
        "credit_request": ("信用异议与修复", nil), "credit_rule": ("信用规则", nil), "credit_grade_changes": ("信用等级", nil),
        "user": ("账号", "/accounts/{id}"), "role_policy": ("角色安全要求", nil), "session": ("登录会话", nil), "secrets": ("密钥", nil),
        "registry": ("登记数据", nil), "job": ("定时任务", nil),
    ]

    /// 项目: the recorded fields' names.
    public static let fields: [String: String] = [
        "status": "状态", "note": "说明", "reason": "原因", "name": "名称", "address": "地址", "estate": "小区", "estateId": "小区",
        "estates": "小区数", "company": "物业服务企业", "companyId": "物业服务企业", "number": "文号/编号", "deadline": "整改期限",
        "category": "类别", "source": "来源", "failed": "不符合项", "kind": "类型", "decidedOn": "决定日期", "problems": "问题数",
        "problem": "问题", "letter": "函件", "criteria": "推荐理由", "seed": "随机种子", "seedSource": "种子来源", "closed": "关闭",
        "opened": "新增", "eligibleHash": "待抽名单校验值", "ratioBp": "抽取比例（万分比）", "username": "用户名", "disabled": "停用",
        "displayName": "姓名", "id": "编号", "mustChangePassword": "须修改密码", "role": "角色", "totpEnabled": "已启用动态口令",
        "totpRequired": "须动态口令", "regionCode": "地区代码", "regionPath": "地区", "objection": "异议", "origin": "发起方式",
        "quarter": "季度", "host": "牵头单位", "participants": "参加单位", "participantsHash": "参加单位校验值", "list": "名单",
        "until": "截止", "duplicate": "重复", "signature": "签名", "verified": "已核实", "bundleOf": "合并于", "decision": "决定",
        "org": "审计机构", "replyDue": "回复期限", "to": "发往", "clients": "服务客户", "uscc": "统一社会信用代码",
        "households": "户数", "signed": "已签名", "finding": "审计发现", "line": "科目", "filed": "提交", "raised": "提出",
        "changed": "变更", "reply": "答复", "report": "报告", "summary": "结论", "answer": "答复", "content": "内容",
        "amount": "金额", "version": "版本", "year": "年度", "period": "期间", "value": "设定值", "rule": "规则", "severity": "严重程度",
        "handler": "经办", "outcome": "办理结果", "floorArea": "建筑面积", "ownersShare": "业主分成比例", "bank": "开户银行",
        "accountNumber": "账号", "chairName": "主任", "termStart": "任期开始", "termEnd": "任期届满", "verdict": "决定",
    ]

    /// Status codes as the pages show them.
    public static let statuses: [String: String] = [
        "open": "待处理", "acknowledged": "已确认", "escalated": "已转为问题", "resolved": "已办结", "dismissed": "已排除",
        "closed": "已办结", "pending": "待处理", "assigned": "已交办", "transferred": "已移交", "rectifying": "整改中",
        "rectified": "已整改待核实", "verified": "已核实", "draft": "草稿", "published": "已发布", "petitioning": "联名中",
        "requested": "已申请", "accepted": "已受理", "rejected": "不予受理", "reported": "已提交报告", "done": "已完成",
        "nominated": "已推荐", "confirmed": "已认定", "refused": "不予认定", "withdrawn": "已撤回",
    ]

    public static func action(_ code: String) -> String { actions[code] ?? code }
    public static func entity(_ code: String) -> String { entities[code]?.title ?? code }

    /// The page of the entry's object, if it has one.
    public static func link(entity: String, id: String) -> String? {
        guard let pattern = entities[entity]?.link, !id.isEmpty, id.allSatisfy(\.isNumber) else { return nil }
        return pattern.replacingOccurrences(of: "{id}", with: id)
    }

    /// One row of 项目 / 变更前 / 变更后.
    public struct Change: Sendable, Equatable {
        public let field: String
        public let before: String
        public let after: String
    }

    /// The recorded values side by side: every key of either side, named; a value that is not an object is one row "内容".
    public static func changes(before: String?, after: String?) -> [Change] {
        let old = object(before), new = object(after)
        var keys: [String] = []
        for key in old.keys.sorted() + new.keys.sorted() where !keys.contains(key) { keys.append(key) }
        return keys.map { key in
            Change(field: fields[key] ?? key, before: old[key].map { text($0, key: key) } ?? "", after: new[key].map { text($0, key: key) } ?? "")
        }
    }

    private static func object(_ json: String?) -> [String: Any] {
        guard let json, !json.isEmpty else { return [:] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else { return ["content": json] }
        if let dictionary = value as? [String: Any] { return dictionary }
        return ["content": value]
    }

    private static func text(_ value: Any, key: String) -> String {
        switch value {
        case let string as String: return key == "status" ? statuses[string] ?? string : string
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return number.boolValue ? "是" : "否" }
            return number.stringValue
        case is NSNull: return "—"
        case let array as [Any]: return array.map { text($0, key: key) }.joined(separator: "、")
        case let dictionary as [String: Any]:
            return dictionary.keys.sorted().map { "\(fields[$0] ?? $0)：\(text(dictionary[$0]!, key: $0))" }.joined(separator: "；")
        default: return "\(value)"
        }
    }
}
