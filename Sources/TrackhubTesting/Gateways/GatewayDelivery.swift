/// One webhook delivery as a gateway would send it: where to, with which headers, which bytes.
public struct GatewayDelivery: Sendable {
    /// Path and query on ingestd, e.g. `/webhooks/kiwify/main?signature=…`.
    public let target: String
    public let headers: [(String, String)]
    public let body: [UInt8]

    public init(target: String, headers: [(String, String)], body: [UInt8]) {
        self.target = target
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}
