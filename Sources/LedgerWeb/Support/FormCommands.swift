import Foundation
import LedgerCore

/// The core's write commands filled from the forms; the field names are the forms' `name` attributes, and the core keys
/// its field errors by the same names.
extension FormData {
    /// A submitted value, empty when the field was not sent.
    func value(_ name: String) -> String { fields[name] ?? "" }
}

extension EstateInput {
    init(form: FormData) {
        self.init(name: form.value("name"), address: form.value("address"), community: form.value("community"),
                  households: form.value("households"), floorArea: form.value("floorArea"), ownersShare: form.value("ownersShare"))
    }
}

extension CompanyInput {
    init(form: FormData) {
        self.init(name: form.value("name"), uscc: form.value("uscc"), region: form.value("region"), contactName: form.value("contactName"),
                  contactPhone: form.value("contactPhone"), address: form.value("address"))
    }
}

extension ContractInput {
    init(form: FormData) {
        self.init(company: form.value("company"), startDate: form.value("startDate"), endDate: form.value("endDate"),
                  acknowledgeBlackList: form.value("acknowledgeBlackList") == "1")
    }
}

extension CommitteeInput {
    init(form: FormData) {
        self.init(kind: form.value("kind"), chairName: form.value("chairName"), termStart: form.value("termStart"), termEnd: form.value("termEnd"))
    }
}

extension AccountInput {
    init(form: FormData) { self.init(bank: form.value("bank"), accountNumber: form.value("accountNumber"), openedOn: form.value("openedOn")) }
}

extension QuestionInput {
    init(form: FormData) { self.init(quarter: form.value("quarter"), item: form.value("item"), content: form.value("content")) }
}

extension EnforcementInput {
    init(form: FormData) {
        self.init(kind: EnforcementKind(rawValue: form.value("kind")), decidedOn: form.value("decidedOn"), basis: form.value("basis"),
                  documentNumber: form.value("documentNumber"), note: form.value("note"), problem: form.value("problem"))
    }
}

extension Campaigns.NewCampaign {
    /// The phases come as `phase0Name`, `phase0From`, `phase0Until`, … in order, up to `Campaigns.maxPhases`.
    init(form: FormData) {
        self.init(name: form.value("name"), region: form.value("region"), phases: (0..<Campaigns.maxPhases).map {
            Campaigns.PhaseDates(name: form.value("phase\($0)Name"), from: form.value("phase\($0)From"), until: form.value("phase\($0)Until"))
        })
    }
}

extension Campaigns.NewTask {
    init(form: FormData) {
        self.init(content: form.value("content"), responsible: form.value("responsible"), schedule: Campaigns.Schedule(rawValue: form.value("schedule")),
                  dueOn: form.value("dueOn"), day: form.value("day"), dueText: form.value("dueText"))
    }
}
