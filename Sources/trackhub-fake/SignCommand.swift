import ArgumentParser
import Foundation
import TrackhubCore
import TrackhubTesting

/// Builds signed gateway deliveries (`GatewayWebhooks.sale`) and prints each as one JSON line:
/// `{"gateway","account","transaction","event_id","target","headers":{…},"body_base64"}`.
///
/// With `--stdio` it reads requests as JSON lines on stdin (`{"gateway","transaction","secret",
/// "account"?,"buyer"?:{"email","name","phone","ip"?},"click_id"?,"signed_at"?,"stage"?,"pix"?}`) and
/// answers each with one line, so a script signs thousands of deliveries with one process.
/// `stage` (pending, approved, refunded) and `pix` pick the gateway's event for that step of
/// the sale (`GatewayWebhooks.sale(_:stage:pix:…)`); without them, a paid card sale.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Print signed gateway deliveries.")

    @Argument(help: "hotmart, kiwify, eduzz, monetizze, stripe or mercadopago (not with --stdio).")
    var gateway: String?

    @Flag(help: "Read one JSON request per line on stdin, answer one JSON line each.")
    var stdio = false

    @Option var transaction: String?
    @Option var secret: String?
    @Option var account = "main"
    @Option var email = "buyer@cliente.test"
    @Option var name = "Mariana Souza Lima"
    @Option var phone = "11987654321"
    @Option(name: .customLong("click-id")) var clickID: String?
    @Option(name: .customLong("signed-at"), help: "Unix seconds of the signature (Stripe, Mercado Pago).")
    var signedAt: Int?

    struct Request: Decodable {
        struct Buyer: Decodable {
            var email: String
            var name: String?
            var phone: String?
            /// The buyer's IP where the gateway reports one (scripts/attribution's scored matches).
            var ip: String?
        }
        var gateway: String
        var transaction: String
        var secret: String
        var account: String?
        var buyer: Buyer?
        var click_id: String?
        var signed_at: Int?
        var stage: GatewaySaleStage?
        var pix: Bool?
    }

    func run() async throws {
        if stdio {
            while let line = readLine(strippingNewline: true) {
                guard !line.isEmpty else { continue }
                let answer: String
                do {
                    answer = try Self.sign(JSONDecoder().decode(Request.self, from: Data(line.utf8)))
                } catch {
                    answer = FakeJSON.object(["error": .string(String(describing: error))]).jsonText
                }
                // Unbuffered: the caller waits for each line before sending the next request.
                FileHandle.standardOutput.write(Data((answer + "\n").utf8))
            }
            return
        }
        guard let gateway, let transaction, let secret else {
            throw ValidationError("give GATEWAY, --transaction and --secret (or --stdio)")
        }
        print(try Self.sign(Request(
            gateway: gateway, transaction: transaction, secret: secret, account: account,
            buyer: .init(email: email, name: name, phone: phone), click_id: clickID, signed_at: signedAt
        )))
    }

    static func sign(_ request: Request) throws -> String {
        guard let gateway = Gateway(rawValue: request.gateway) else { throw ValidationError("unknown gateway \(request.gateway)") }
        let buyer = request.buyer.map { given in
            var buyer = GatewayBuyer(email: given.email, name: given.name ?? "Mariana Souza Lima", phone: given.phone)
            if let ip = given.ip { buyer.ip = ip }
            return buyer
        } ?? GatewayBuyer(email: "buyer@cliente.test")
        let account = request.account ?? "main"
        let signedAt = request.signed_at.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? Date()
        let delivery = request.stage == nil && request.pix == nil
            ? GatewayWebhooks.sale(gateway, transaction: request.transaction, buyer: buyer, clickID: request.click_id,
                                   secret: request.secret, account: account, signedAt: signedAt)
            : GatewayWebhooks.sale(gateway, stage: request.stage ?? .approved, pix: request.pix ?? false, transaction: request.transaction,
                                   buyer: buyer, clickID: request.click_id, secret: request.secret, account: account, signedAt: signedAt)
        return FakeJSON.object([
            "gateway": .string(gateway.rawValue),
            "account": .string(account),
            "transaction": .string(request.transaction),
            "event_id": .string("\(gateway.rawValue).\(request.transaction)"),
            "target": .string(delivery.target),
            "headers": .object(Dictionary(delivery.headers.map { ($0.0, FakeJSON.string($0.1)) }, uniquingKeysWith: { _, last in last })),
            "body_base64": .string(Data(delivery.body).base64EncodedString()),
        ]).jsonText
    }
}
