import Foundation
import TrackhubTesting

/// Server-to-server calls (`POST /s2s/{event}`) as a seller's server or bot makes them: an
/// ingest key created with the CLI, and requests that come from a server's address and user agent
/// (which must never reach Meta as the person's).
extension DispatchFixture {
    static let serverIP = "198.51.100.9"
    static let serverUA = "python-requests/2.31 (seller bot)"

    /// Creates an ingest key for `tenant` with `dispatchd apikey create` and waits until ingestd
    /// accepts it (it arrives with the next config snapshot): an empty body answers 400 once the
    /// key is known — the key is checked first — and 401 before.
    func liveIngestKey(tenant: String) async throws -> String {
        let created = try await cli(["apikey", "create", "--tenant", tenant, "--scope", "ingest", "--name", "bot"])
        try created.requireSuccess("apikey create --scope ingest")
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if try await s2s("lead", [:], key: key).status == 400 { return key }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("ingestd never accepted the new ingest key")
    }

    /// `POST /s2s/{event}` with `body` as JSON, from the seller's server.
    func s2s(_ event: String, _ body: [String: Any], key: String?) async throws -> RawHTTP.Response {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
        var headers = [("User-Agent", Self.serverUA), ("X-Forwarded-For", Self.serverIP)]
        if let key { headers.append(("Authorization", "Bearer " + key)) }
        return try await RawHTTP.post(port: ingestPort, "/s2s/\(event)", json: json, headers: headers)
    }
}
