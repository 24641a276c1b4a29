public import DriftMonitor
public import ServiceLifecycle

/// ``MonitorService`` as a swift-service-lifecycle `Service`: graceful shutdown (SIGTERM, SIGINT, or the
/// group shutting down) asks the monitor to stop, which closes its windows, publishes what remains,
/// commits and closes its clients before `run()` returns.
public struct MonitorRunner: Service {
    public let service: MonitorService

    public init(service: MonitorService) {
        self.service = service
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await service.run()
        } onGracefulShutdown: {
            service.stop()
        }
    }
}
