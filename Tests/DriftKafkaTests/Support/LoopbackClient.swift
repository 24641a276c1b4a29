import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Raw TCP to a local port, for tests that need a client misbehaving below what librdkafka would do.
enum LoopbackClient {
    /// Connects to `127.0.0.1:port`, writes `bytes` and closes without reading any answer.
    static func sendAndHangUp(port: UInt16, bytes: [UInt8]) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0, "socket: \(String(cString: strerror(errno)))")
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "connect to port \(port): \(String(cString: strerror(errno)))")
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL)) }
            try #require(result > 0, "send: \(String(cString: strerror(errno)))")
            written += result
        }
    }

    /// A Kafka ApiVersions request, version 0, framed with its length (the smallest request every broker answers).
    static func apiVersionsRequest(correlationID: Int32) -> [UInt8] {
        let clientID = Array("driftwatch-test".utf8)
        var body: [UInt8] = []
        body += bigEndianBytes(Int16(18))  // api key: ApiVersions
        body += bigEndianBytes(Int16(0))  // api version
        body += bigEndianBytes(correlationID)
        body += bigEndianBytes(Int16(clientID.count))
        body += clientID
        return bigEndianBytes(Int32(body.count)) + body
    }

    private static func bigEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
