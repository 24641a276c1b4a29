import DriftServer
import Logging

/// The long-running commands' logging: to standard error at `level`, as text or one JSON object per line.
enum ProcessLogging {
    static func bootstrap(level: Logger.Level, json: Bool = false) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
