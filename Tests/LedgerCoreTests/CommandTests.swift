import LedgerCore
import Testing

/// The typed write commands validate in core and key every error by the field the forms and the API show it beside.
@Suite struct CommandTests {
    func fieldErrors(_ validate: () throws -> Void) -> [String: String] {
        do {
            try validate()
            return [:]
        } catch let errors as FieldErrors {
            return Dictionary(errors.items.map { ($0.field ?? "", $0.code) }, uniquingKeysWith: { first, _ in first })
        } catch {
            Issue.record("unexpected \(error)")
            return [:]
        }
    }

    // MARK: Tests

    @Test func campaignPhasesAreKeyedByTheirPosition() {
        // setup
        var campaign = Campaigns.NewCampaign(name: "点题整治", region: "350102", phaseDates: [
            ("2024-05-01", "2024-05-10"), ("2024-05-11", "2024-05-31"), ("2024-06-01", "2024-08-31"), ("2024-09-01", "2024-10-31"),
        ])
        campaign.phases[2].until = "2024-05-01"
        campaign.phases[3].from = "2024-13-01"
        // MUT
        let errors = fieldErrors { _ = try campaign.validated() }
        // validation
        #expect(errors == ["phase2Until": "bad_period", "phase3From": "bad_date"])
        #expect(campaign.phases.map(\.name) == Campaigns.phaseNames)
    }

    @Test func taskNeedsAScheduleAndFillsItsDueText() throws {
        #expect(fieldErrors { _ = try Campaigns.NewTask(content: "x", responsible: "y", schedule: nil).validated() } == ["schedule": "required"])
        let quarterly = try Campaigns.NewTask(content: "按季报送进展", responsible: "区住建局", schedule: .quarterly, day: "５").validated()
        #expect(quarterly.day == 5 && quarterly.dueText == "每季度次月5日前")
    }

    @Test func registryRecordsAreCheckedInCore() throws {
        #expect(fieldErrors { _ = try CommitteeInput(kind: "居委会", chairName: "", termStart: "2024-01-01", termEnd: "2023-01-01").validated() }
            == ["kind": "bad_kind", "chairName": "required", "termEnd": "end_before_start"])
        #expect(fieldErrors { _ = try ContractInput(company: "", startDate: "2024-03-01", endDate: "2024-02-01").validated() }
            == ["company": "required", "endDate": "end_before_start"])
        let account = try AccountInput(bank: "兴业银行", accountNumber: "６２２２ 0000 1111 2222", openedOn: "2024-01-02").validated()
        #expect(account.accountNumber == "6222000011112222")
        #expect(try CommitteeInput(kind: "物业管理委员会", chairName: "张三", termStart: "2024-01-01", termEnd: "2029-01-01").validated().kind == .management)
    }

    @Test func enforcementRefusesAFutureDecisionAndABadProblemNumber() {
        let input = EnforcementInput(kind: nil, decidedOn: "2024-12-01", basis: "《物业管理条例》", documentNumber: "罚〔2024〕1号", problem: "12a")
        #expect(fieldErrors { _ = try input.validated(today: Day("2024-11-19")!) }
            == ["kind": "required", "problem": "not_integer", "decidedOn": "future_date"])
    }

    @Test func questionsNameAQuarter() {
        #expect(fieldErrors { _ = try QuestionInput(quarter: "2024Q5", item: "停车费", content: "金额不符").validated() } == ["quarter": "bad_quarter"])
        #expect(fieldErrors { _ = try AnswerInput(answer: "  ").validated() } == ["answer": "required"])
    }
}
