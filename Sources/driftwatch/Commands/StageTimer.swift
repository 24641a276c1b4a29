import DriftCompare
import Synchronization

/// Prints how long each stage took on stderr (hidden `--stage-timing` flag, for profiling).
final class StageTimer: ProgressObserver {
    private let clock = ContinuousClock()
    private let state: Mutex<(stage: String, started: ContinuousClock.Instant)>

    init() {
        state = Mutex(("start", clock.now))
    }

    func begin(stage: String, total: Int) {
        report(next: stage)
    }

    func advance(by units: Int) {}

    func finish() {
        report(next: "done")
    }

    private func report(next: String) {
        let now = clock.now
        state.withLock { state in
            let elapsed = now - state.started
            let ms = Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3
            StandardError.emit("\(state.stage): \(Int(ms.rounded())) ms\n")
            state = (next, now)
        }
    }
}
