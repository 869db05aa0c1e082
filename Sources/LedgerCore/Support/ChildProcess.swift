import Foundation
import Synchronization

/// Runs a program to its end from async code without holding a Swift-concurrency thread while it runs.
///
/// `Process.waitUntilExit()` spins the calling thread's run loop until Foundation notices the exit. Called from a
/// task it holds one of the few cooperative threads (two on this machine) meanwhile, and it is reported to hang on
/// Linux under load; it was a suspect in two hung test runs here. Here the exit is signalled by `terminationHandler`,
/// set before the program starts, and the task waits by suspending. Both outputs are read on dispatch threads, so a
/// chatty program never blocks on a full pipe.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: Data
    }

    /// Runs `executable` with `arguments`; `captureOutput: false` discards standard output (a long benchmark run).
    public static func run(_ executable: String, _ arguments: [String], captureOutput: Bool = true) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = captureOutput ? output : FileHandle.nullDevice
        process.standardError = errors
        let exited = Exit()
        process.terminationHandler = { ended in exited.finish(ended.terminationStatus) }
        try process.run()
        // The write ends belong to the child now; closing ours lets the reads below end at the child's exit.
        try? output.fileHandleForWriting.close()
        try? errors.fileHandleForWriting.close()
        async let read = drain(captureOutput ? [output, errors] : [errors])
        let status = await exited.status()
        let data = await read
        return Result(status: status, output: captureOutput ? data[0] : Data(), errors: data[captureOutput ? 1 : 0])
    }

    /// Reads each pipe to its end on a dispatch thread (a blocking read never sits on a cooperative thread).
    private static func drain(_ pipes: [Pipe]) async -> [Data] {
        await withTaskGroup(of: (Int, Data).self) { group in
            for (index, pipe) in pipes.enumerated() {
                let handle = pipe.fileHandleForReading
                group.addTask {
                    await withCheckedContinuation { continuation in
                        DispatchQueue.global().async { continuation.resume(returning: (index, handle.readDataToEndOfFile())) }
                    }
                }
            }
            var data = Array(repeating: Data(), count: pipes.count)
            for await (index, read) in group { data[index] = read }
            return data
        }
    }

    /// The exit status, handed over once from Foundation's termination handler to the waiting task, whichever
    /// comes first.
    private final class Exit: Sendable {
        private enum State { case running, waiting(CheckedContinuation<Int32, Never>), ended(Int32) }
        private let state = Mutex(State.running)

        func finish(_ status: Int32) {
            let waiter: CheckedContinuation<Int32, Never>? = state.withLock { state in
                if case .waiting(let continuation) = state {
                    state = .ended(status)
                    return continuation
                }
                state = .ended(status)
                return nil
            }
            waiter?.resume(returning: status)
        }

        func status() async -> Int32 {
            await withCheckedContinuation { continuation in
                let ended: Int32? = state.withLock { state in
                    if case .ended(let status) = state { return status }
                    state = .waiting(continuation)
                    return nil
                }
                if let ended { continuation.resume(returning: ended) }
            }
        }
    }
}
