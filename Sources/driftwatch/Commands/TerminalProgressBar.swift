import DriftCompare
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr, redrawn in place (`\r`) at most once per percent.
final class TerminalProgressBar: ProgressObserver {
    private struct State {
        var stage = ""
        var total = 0
        var done = 0
        var lastDrawnPercent = -1
    }

    private let state = Mutex(State())
    private let width = 30

    func begin(stage: String, total: Int) {
        state.withLock { state in
            state = State(stage: stage, total: max(total, 1), done: 0, lastDrawnPercent: -1)
            draw(&state)
        }
    }

    func advance(by units: Int) {
        state.withLock { state in
            state.done = min(state.done + units, state.total)
            draw(&state)
        }
    }

    func finish() {
        state.withLock { state in
            guard !state.stage.isEmpty else { return }
            StandardError.emit("\r\u{1B}[K")
            state.stage = ""
        }
    }

    private func draw(_ state: inout State) {
        let percent = state.done * 100 / state.total
        guard percent != state.lastDrawnPercent else { return }
        state.lastDrawnPercent = percent
        let filled = state.done * width / state.total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let label = state.stage.padding(to: 10)
        StandardError.emit("\r\(label) [\(bar)] \(percent)%")
    }
}

extension String {
    fileprivate func padding(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
