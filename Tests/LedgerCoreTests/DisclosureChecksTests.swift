import Foundation
import LedgerCore
import LedgerTestSupport
import Testing

@Suite struct DisclosureChecksTests {
    static func failure(_ document: DisclosureDocument, publishing: Bool = true) -> LedgerError? {
        do {
            let content = try DisclosureChecks.parse(document)
            if publishing { try DisclosureChecks.checkPublishable(content, sentClosingBalance: document.closingBalance) }
            return nil
        } catch let errors as FieldErrors {
            return errors.items.first
        } catch {
            return nil
        }
    }

    // MARK: Tests

    @Test func theExampleIsPublishableAndItsFiguresDerive() throws {
        let content = try DisclosureChecks.parse(DisclosureSamples.valid())
        try DisclosureChecks.checkPublishable(content, sentClosingBalance: nil)
        #expect(content.incomeTotal == Money(fen: 2_460_000))
        #expect(content.surplus == Money(fen: 1_860_000))
        #expect(content.closingBalance == Money(fen: 5_021_035 + 1_302_000 - 240_000))
    }

    /// (mutation, expected code, expected field)
    nonisolated(unsafe) static let refusals: [(String, (inout DisclosureDocument) -> Void, String, String)] = [
        ("unbalanced", { $0.distribution?.ownersShare = "13000.00" }, "unbalanced_distribution", "distribution"),
        ("shares without surplus", { $0.costs = [.init(description: "成本", amount: "30000")] }, "distribution_without_surplus", "distribution"),
        ("closing balance", { $0.closingBalance = "1.00" }, "closing_balance_mismatch", "closingBalance"),
        ("display 29 days", { $0.display = .init(from: "2024-07-05", until: "2024-08-03") }, "display_too_short", "display.until"),
        ("negative", { $0.costs[0].amount = "-5" }, "negative_amount", "costs.0.amount"),
        ("unknown category", { $0.income[1].category = "billboard" }, "unknown_category", "income.1.category"),
        ("three decimals", { $0.income[0].amount = "12.345" }, "too_many_decimals", "income.0.amount"),
        ("exponent", { $0.income[0].amount = "1e3" }, "not_amount", "income.0.amount"),
        ("text amount", { $0.expenditures[0].amount = "abc" }, "not_amount", "expenditures.0.amount"),
        ("empty amount", { $0.income[0].amount = "" }, "required", "income.0.amount"),
        ("missing contact", { $0.contact = nil }, "missing_contact", "contact.name"),
        ("missing phone", { $0.contact?.phone = " " }, "missing_contact", "contact.phone"),
        ("bad date", { $0.display?.until = "2024-02-30" }, "bad_date", "display.until"),
        ("missing distribution", { $0.distribution = nil }, "missing_distribution", "distribution"),
    ]

    @Test(arguments: refusals.indices)
    func publishingRefusesMalformedVersions(index: Int) {
        let (what, mutate, code, field) = Self.refusals[index]
        var document = DisclosureSamples.valid()
        mutate(&document)
        let error = Self.failure(document)
        #expect(error?.code == code, "\(what)")
        #expect(error?.field == field, "\(what)")
    }

    @Test func substantiveFaultsAreAccepted() throws {
        // Zero revenue, spending without a decision, transfer smaller than the owners' share: truthful filings of faults.
        var document = DisclosureSamples.valid()
        document.expenditures[0].decision = ""
        document.transfer?.amount = "100.00"
        #expect(Self.failure(document) == nil)
        let zero = DisclosureDocument(distribution: .init(ownersShare: "0", companyShare: "0"), openingBalance: "0",
                                      contact: .init(name: "李", phone: "123"), display: .init(from: "2024-04-01", until: "2024-05-01"))
        #expect(Self.failure(zero) == nil)
    }

    @Test func draftsMayBeIncompleteButNotMalformed() {
        #expect(Self.failure(DisclosureDocument(), publishing: false) == nil)
        var bad = DisclosureDocument()
        bad.income = [.init(category: "parking", description: "", amount: "12.345")]
        #expect(Self.failure(bad, publishing: false)?.code == "too_many_decimals")
    }

    @Test func quarterDeadlinesCrossTheYear() {
        #expect(Quarter(year: 2024, quarter: 1)!.dueDate.description == "2024-04-30")
        #expect(Quarter(year: 2024, quarter: 4)!.dueDate.description == "2025-01-31")
        #expect(Quarter(year: 2024, quarter: 1)!.lastDay.description == "2024-03-31")
        #expect(Quarter(containing: Day("2024-02-29")!) == Quarter(year: 2024, quarter: 1))
        #expect(Quarter(year: 2024, quarter: 5) == nil)
    }
}
