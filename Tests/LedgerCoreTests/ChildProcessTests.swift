import Foundation
import LedgerCore
import Testing

/// `ChildProcess` hands back a program's status and both its outputs, however much it writes and however many run at
/// once (the checks through openpyxl and zbarimg run many side by side).
@Suite struct ChildProcessTests {
    @Test func statusOutputAndErrorsComeBackApart() async throws {
        let run = try await ChildProcess.run("/bin/sh", ["-c", "printf 公示; printf 出错 >&2; exit 3"])
        #expect(run.status == 3)
        #expect(String(decoding: run.output, as: UTF8.self) == "公示")
        #expect(String(decoding: run.errors, as: UTF8.self) == "出错")
    }

    /// More than a pipe holds (64 KiB) on both outputs at once: a reader that took one output after the other, or
    /// waited for the exit first, would never see the program end.
    @Test func aProgramThatWritesMegabytesToBothOutputsEnds() async throws {
        let run = try await ChildProcess.run("/bin/sh", ["-c", "head -c 1000000 /dev/zero; head -c 300000 /dev/zero >&2"])
        #expect(run.status == 0)
        #expect(run.output.count == 1_000_000)
        #expect(run.errors.count == 300_000)
    }

    @Test func discardedOutputStillGivesTheStatus() async throws {
        let run = try await ChildProcess.run("/bin/sh", ["-c", "echo gone; exit 7"], captureOutput: false)
        #expect(run.status == 7 && run.output.isEmpty)
    }

    @Test func manyAtOnceAllEnd() async throws {
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<64 {
                group.addTask {
                    String(decoding: try await ChildProcess.run("/bin/sh", ["-c", "echo \(index)"]).output, as: UTF8.self)
                }
            }
            var all: [String] = []
            for try await output in group { all.append(output) }
            return all
        }
        #expect(Set(outputs) == Set((0..<64).map { "\($0)\n" }))
    }

    @Test func aMissingProgramThrows() async {
        await #expect(throws: (any Error).self) {
            _ = try await ChildProcess.run("/nonexistent/program", [])
        }
    }
}
