import LedgerCore
import Testing

@Suite struct USCCTests {
    // Check characters computed independently (a short Python script following GB 32100-2015 §5).
    static let valid = ["91350100M000100Y43", "91350102MA2YX1234X", "91110000100000000R", "91350100MA2Y8CWA5U", "12350000003591037N"]

    // MARK: Tests

    @Test(arguments: valid)
    func acceptsCodesWithCorrectCheckCharacter(code: String) {
        #expect(USCC.isValid(code))
        #expect(USCC.withCheckCharacter(String(code.prefix(17))) == code)
    }

    @Test func rejectsWrongCheckCharacterAndNamesTheExpectedOne() {
        // MUT
        let problem = USCC.problem(with: "91350100M000100Y44")
        // validation
        #expect(problem?.contains("校验位错误") == true)
        #expect(problem?.contains("“3”") == true)
    }

    @Test(arguments: ["", "91350100M000100Y4", "91350100M000100Y433", "91350100I000100Y43", "91350100m000100Y43", "９１350100M000100Y43"])
    func rejectsMalformedCodes(code: String) {
        #expect(!USCC.isValid(code))
        #expect(USCC.problem(with: code) != nil)
    }

    @Test func everySingleCharacterChangeIsCaught() {
        let code = Array(Self.valid[0])
        for index in 0..<17 {
            for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY" where replacement != code[index] {
                var changed = code
                changed[index] = replacement
                #expect(!USCC.isValid(String(changed)), "position \(index) → \(replacement)")
            }
        }
    }
}
