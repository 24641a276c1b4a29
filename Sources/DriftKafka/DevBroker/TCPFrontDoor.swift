import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Listens on a fixed loopback port and relays every connection to a target port.
///
/// librdkafka's mock brokers listen on ephemeral ports (2.0.2 has no way to choose one), so the dev broker
/// puts this in front of its first broker when `--port` is given. Clients bootstrap through it; the cluster
/// metadata then sends them to the brokers' own ports, so only bootstrap traffic passes through here.
final class TCPFrontDoor: @unchecked Sendable {
    let port: UInt16
    private let targetPort: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var stopped = false

    /// Binds `host:port` (`port` 0 picks a free one) and starts accepting.
    init(host: String = "127.0.0.1", port: UInt16, targetPort: UInt16) throws(KafkaError) {
        self.targetPort = targetPort
        let descriptor = try Self.bound(host: host, port: port)
        guard listen(descriptor, 64) == 0 else {
            let error = TCPFrontDoor.failure("listen \(host):\(port)")
            close(descriptor)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.listener = descriptor
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "driftkafka.frontdoor"
        thread.start()
    }

    /// A TCP socket bound to `host:port` with `SO_REUSEADDR` (as librdkafka's mock listeners are).
    static func bound(host: String, port: UInt16) throws(KafkaError) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TCPFrontDoor.failure("socket") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let error = TCPFrontDoor.failure("bind \(host):\(port)")
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Whether `host:port` can be bound now (nothing else holds it).
    static func isFree(host: String, port: UInt16) -> Bool {
        guard let descriptor = try? bound(host: host, port: port) else { return false }
        close(descriptor)
        return true
    }

    /// Stops accepting and closes every relayed connection.
    func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        let open = connections
        connections.removeAll()
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for descriptor in open { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            guard let upstream = connectToTarget() else {
                close(client)
                continue
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(client)
                close(upstream)
                return
            }
            connections.insert(client)
            connections.insert(upstream)
            lock.unlock()
            let finished = CompletionSignal()
            let forward = Thread { [self] in relay(from: client, to: upstream); finished.signal() }
            let backward = Thread { [self] in
                relay(from: upstream, to: client)
                finished.wait(seconds: 5)
                lock.lock()
                connections.remove(client)
                connections.remove(upstream)
                lock.unlock()
                close(client)
                close(upstream)
            }
            forward.start()
            backward.start()
        }
    }

    private func connectToTarget() -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = targetPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Copies bytes until either side closes, then half-closes both so the other direction ends too.
    ///
    /// Writes use `send` with `MSG_NOSIGNAL`: a client that hangs up with responses still on their way (a
    /// bootstrap connection librdkafka drops once it knows the brokers' own addresses) made `write` on the
    /// socket the other direction had already shut down raise SIGPIPE, which killed the whole broker process.
    private func relay(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1_024)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + written, count - written, Int32(MSG_NOSIGNAL)) }
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { break loop }
                written += result
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }

    private static func failure(_ operation: String) -> KafkaError {
        KafkaError(code: -1, name: "_TRANSPORT", message: "\(operation): \(String(cString: strerror(errno)))", operation: "broker")
    }
}
