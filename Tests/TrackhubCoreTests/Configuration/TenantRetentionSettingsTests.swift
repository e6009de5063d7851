import Foundation
import Testing
@testable import TrackhubCore

/// Issue 18 item 1: `tenants[].retention` in the one config model, validated at apply.
@Suite("tenant retention settings")
struct TenantRetentionSettingsTests {
    @Test("unset: nothing stored, the defaults apply; set: only what is set is stored")
    func stored() throws {
        let plain = TrackhubConfigFile(tenants: [.init(id: "a", pixels: [.init(id: "1", tokenEnv: "T")])])
        #expect(try ConfigApplier.resolve(plain, environment: ["T": "t"]).configuration.tenants[0].retention.isEmpty)
        let yaml = """
            tenants:
              - id: shop
                retention: {touchpoint_days: 60, webhook_body_days: 15}
                pixels: [{id: "1", token_env: T}]
            """
        let file = try TrackhubConfigFile.parse(yaml: yaml)
        #expect(file.validate(environment: ["T": "t"]).isEmpty)
        let tenant = try ConfigApplier.resolve(file, environment: ["T": "t"]).configuration.tenants[0]
        #expect(tenant.retention == [.touchpointDays: 60, .webhookBodyDays: 15])
        #expect(RetentionPolicy.storedJSON(tenant.retention) == #"{"webhook_body_days":15,"touchpoint_days":60}"#)
        // The console keeps tenants as documents of this same model: the settings round-trip.
        let again = try JSONDecoder().decode(TrackhubConfigFile.Tenant.self, from: try JSONEncoder().encode(file.tenants[0]))
        #expect(again.retention == ["touchpoint_days": 60, "webhook_body_days": 15])
    }

    @Test("refused at apply, at the field: dedupe too short, ledger under dedupe, touchpoints under the window, unknown name, out of range")
    func refused() throws {
        let yaml = """
            tenants:
              - id: shop
                attribution_window_days: 90
                retention: {dedupe_days: 7, ledger_days: 5, touchpoint_days: 60, forever_days: 1, dead_letter_days: 0}
                pixels: [{id: "1", token_env: T}]
            """
        let problems = try TrackhubConfigFile.parse(yaml: yaml).validate(environment: ["T": "t"]).filter { $0.severity == .error }
        #expect(problems.map(\.path) == [
            "tenants[0].retention.forever_days", "tenants[0].retention.dead_letter_days", "tenants[0].retention.dedupe_days",
            "tenants[0].retention.ledger_days", "tenants[0].retention.touchpoint_days",
        ])
        #expect(problems.first { $0.path.hasSuffix("dedupe_days") }!.message.contains("at least 14 days"))
    }
}
