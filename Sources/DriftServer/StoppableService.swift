public import DriftMonitor
public import DriftRetrain
public import ServiceLifecycle

/// A long-running worker as a swift-service-lifecycle `Service`: graceful shutdown (SIGTERM, SIGINT, or the
/// group shutting down) calls `stop`, and `run()` returns when the worker's own run has finished in order.
public struct StoppableService: Service {
    let body: @Sendable () async throws -> Void
    let stop: @Sendable () -> Void

    public init(run: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable () -> Void) {
        body = run
        self.stop = stop
    }

    /// The monitor: a stop closes (or hands over) its windows, publishes what remains, commits and closes its clients.
    public init(_ service: MonitorService) {
        self.init(run: { try await service.run() }, stop: { service.stop() })
    }

    /// The retraining worker: a stop ends consuming and lets running trainings finish.
    public init(_ service: RetrainService) {
        self.init(run: { try await service.run() }, stop: { service.stop() })
    }

    /// The model server: a stop ends its watch of model versions and flushes its producer.
    public init(_ server: ModelServer) {
        self.init(run: { await server.run() }, stop: { server.stop() })
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await body()
        } onGracefulShutdown: {
            stop()
        }
    }
}
