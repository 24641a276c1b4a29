import Synchronization
import Testing

@testable import DriftCompare

/// Progress reporting: the stages come in order and each one's units add up to its total.
@Suite struct ProgressTests {
    final class Recorder: ProgressObserver {
        struct Stage: Equatable {
            var name: String
            var total: Int
            var done: Int
        }

        let stages = Mutex<[Stage]>([])
        let finished = Mutex(false)

        func begin(stage: String, total: Int) {
            stages.withLock { $0.append(Stage(name: stage, total: total, done: 0)) }
        }

        func advance(by units: Int) {
            stages.withLock { stages in
                if !stages.isEmpty { stages[stages.count - 1].done += units }
            }
        }

        func finish() {
            finished.withLock { $0 = true }
        }
    }

    @Test(arguments: ["current.csv", "current.jsonl", "current.csv.gz"])
    func stagesInOrderAndComplete(current: String) throws {
        let recorder = Recorder()
        _ = try DriftCompare.run(try EndToEndTests.options(current: current), progress: recorder)
        let stages = recorder.stages.withLock { $0 }
        #expect(stages.map(\.name) == ["reading", "tokenizing", "decoding", "sorting", "computing"])
        for stage in stages { #expect(stage.done == stage.total, "\(stage.name)") }
        #expect(stages.first?.total == (try FileLoader.fileSize(TestFiles.fixture("reference.csv")) ?? 0)
            + (try FileLoader.fileSize(TestFiles.fixture(current)) ?? 0))
        #expect(stages.last?.total == EndToEndTests.compared.count)
        #expect(recorder.finished.withLock { $0 })
    }
}
