import Foundation

extension Campaigns {
    /// One phase's dates as typed (`YYYY-MM-DD`).
    public struct PhaseDates: Sendable {
        public var name: String
        public var from: String
        public var until: String

        public init(name: String, from: String, until: String) { (self.name, self.from, self.until) = (name, from, until) }
    }

    /// A new campaign as entered: its name, the region it covers and its phases in order.
    public struct NewCampaign: Sendable {
        public var name: String
        public var region: String
        public var phases: [PhaseDates]

        public init(name: String, region: String, phases: [PhaseDates]) { (self.name, self.region, self.phases) = (name, region, phases) }

        /// The four standard phases (`Campaigns.phaseNames`) with their dates in order.
        public init(name: String, region: String, phaseDates: [(from: String, until: String)]) {
            self.init(name: name, region: region, phases: zip(Campaigns.phaseNames, phaseDates).map { PhaseDates(name: $0, from: $1.from, until: $1.until) })
        }

        public struct Valid: Sendable {
            public let name: String
            public let region: String
            public let phases: [(name: String, from: Day, until: Day)]
        }

        /// Field errors keyed `name`, `phases` and, for the phase at index i, `phase{i}Name` / `phase{i}From` /
        /// `phase{i}Until`. A row left wholly empty is no phase; the names and their number are the campaign's own.
        public func validated() throws -> Valid {
            var reader = InputReader()
            let name = reader.text(self.name, field: "name", label: "专项整治名称", max: 100)
            var phases: [(name: String, from: Day, until: Day)] = []
            var given = 0
            for (index, phase) in self.phases.enumerated() {
                let blank = [phase.name, phase.from, phase.until].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
                if blank { continue }
                given += 1
                let title = phase.name.trimmingCharacters(in: .whitespaces)
                let label = title.isEmpty ? "第\(index + 1)阶段" : title
                let phaseName = reader.text(phase.name, field: "phase\(index)Name", label: "第\(index + 1)阶段名称", max: 30)
                let from = reader.day(phase.from, field: "phase\(index)From", label: "\(label)开始日期")
                let until = reader.day(phase.until, field: "phase\(index)Until", label: "\(label)结束日期")
                if let from, let until {
                    if until < from { reader.errors.add("phase\(index)Until", code: "bad_period", "\(label)结束日期不能早于开始日期") }
                    phases.append((phaseName, from, until))
                }
            }
            if given == 0 { reader.errors.add("phases", code: "required", "请至少设置一个阶段（名称和起止日期）") }
            if given > Campaigns.maxPhases { reader.errors.add("phases", code: "too_many", "阶段最多\(Campaigns.maxPhases)个") }
            try reader.errors.throwIfAny()
            return Valid(name: name, region: region, phases: phases)
        }
    }

    /// A task of a campaign as entered; `dueOn` counts for a dated task, `day` for a monthly or quarterly one.
    public struct NewTask: Sendable {
        public var content: String
        public var responsible: String
        /// Nil when none (or an unknown one) was chosen.
        public var schedule: Schedule?
        public var dueOn: String
        public var day: String
        /// The due time as the plan words it; made up from the schedule when empty.
        public var dueText: String

        public init(content: String, responsible: String, schedule: Schedule?, dueOn: String = "", day: String = "", dueText: String = "") {
            (self.content, self.responsible, self.schedule, self.dueOn, self.day, self.dueText) = (content, responsible, schedule, dueOn, day, dueText)
        }

        public struct Valid: Sendable {
            public let content: String
            public let responsible: String
            public let schedule: Schedule
            public let dueOn: Day?
            public let day: Int?
            public let dueText: String
        }

        /// Field errors keyed `content`, `responsible`, `schedule`, `dueOn`, `day`, `dueText`.
        public func validated() throws -> Valid {
            var reader = InputReader()
            let content = reader.text(self.content, field: "content", label: "工作内容", max: 1_000)
            let responsible = reader.text(self.responsible, field: "responsible", label: "责任单位", max: 200)
            if self.schedule == nil { reader.errors.add("schedule", code: "required", "请选择完成时间的方式（限期、每周、每月或每季度）") }
            var dueOn: Day?, day: Int?
            if schedule == .date { dueOn = reader.day(self.dueOn, field: "dueOn", label: "完成日期") }
            if schedule == .monthly || schedule == .quarterly { day = reader.integer(self.day, field: "day", label: "每月（季）第几日", range: 1...28) }
            if schedule == .weekly { day = reader.integer(self.day, field: "day", label: "每周星期几（1为周一，7为周日）", range: 1...7) }
            var dueText = reader.text(self.dueText, field: "dueText", label: "完成时间（原文）", required: false, max: 60)
            try reader.errors.throwIfAny()
            if dueText.isEmpty {
                dueText = switch schedule! {
                case .date: "\(dueOn!.month)月\(dueOn!.day)日前"
                case .weekly: "每\(Campaigns.weekdayNames[day! - 1])前"
                case .monthly: "每月\(day!)日前"
                case .quarterly: "每季度次月\(day!)日前"
                }
            }
            return Valid(content: content, responsible: responsible, schedule: schedule!, dueOn: dueOn, day: day, dueText: dueText)
        }
    }
}
