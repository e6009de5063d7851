import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// A console over a fresh, migrated scratch database (real Postgres from scripts/test), served
/// in process through Hummingbird's router test client. bcrypt runs at cost 4 here: the tests
/// check that logins work, not how slow a hash is.
struct ConsoleFixture: Sendable {
    let store: ConsoleStore
    let databaseURL: String
    let client: any TestClientProtocol
    /// The configuration served (its Redis and stream prefix are the test's own).
    let configuration: ConsoleConfiguration
    /// The fake Graph the setup assistant checks against.
    let meta: FakeMeta
    /// The fake Graph's base URL, and the pools the console runs on (for the ad spend importer).
    let graphBaseURL: String
    let http: CurlClientPool
    let pool: PostgresPool
    let keys: KeyRing

    /// The defaults, with scripts/test's Redis (when there is one) under a key prefix of this test's own.
    static func testConfiguration() -> ConsoleConfiguration {
        var c = ConsoleConfiguration()
        if let url = TestEnvironment.redisURL, let endpoint = RedisEndpoint(url: url) { c.redis = endpoint }
        c.streamPrefix = TestEnvironment.uniquePrefix("console")
        return c
    }

    /// The key ring of the console tests (a real ingestd started beside it uses its own: pass that).
    static let testKeys = KeyRing(keys: [(id: "k1", bytes: Array(repeating: 7, count: 32))])

    static func run(configuration: ConsoleConfiguration = testConfiguration(), keys: KeyRing = testKeys,
                    _ body: @Sendable (ConsoleFixture) async throws -> Void) async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let logger = Logger(label: "console-test")
            let pool = PostgresPool(conninfo: url, size: 2, applicationName: "console-test", logger: logger)
            let http = try CurlClientPool(size: 2)
            try await ServiceGroup.withRunning([pool, http], logger: logger) {
                try await FakeMetaServer.withServer { server in
                    try await Migrator(logger: logger).migrate(pool)
                    let store = ConsoleStore(pool: pool, bcryptCost: 4)
                    let graph = CurlSetupGraph(http: http, graphBaseURL: server.baseURL, graphVersion: "v25.0")
                    let app = try await buildConsoleApplication(configuration, store: store, keys: keys, graph: graph,
                                                                pageFetcher: CurlPageFetcher(http: http),
                                                                telegram: CurlTelegramClient(http: http, baseURL: configuration.telegramBaseURL),
                                                                logger: logger)
                    try await app.test(.router) { client in
                        try await body(ConsoleFixture(store: store, databaseURL: url, client: client, configuration: configuration,
                                                      meta: server.meta, graphBaseURL: server.baseURL, http: http, pool: pool, keys: keys))
                    }
                }
            }
        }
    }

    /// A query's first row's first column as text.
    func value(_ statement: String, _ params: [PostgresValue?] = []) throws -> String? {
        let connection = try PostgresConnection(databaseURL, applicationName: "console-test-sql")
        defer { connection.close() }
        let rows = try connection.query(statement, params)
        return rows.isEmpty ? nil : rows.string(0, 0)
    }

    /// Runs SQL against the scratch database (to plant tenants, pixels, sales, ledger rows).
    func sql(_ statement: String, _ params: [PostgresValue?] = []) throws {
        let connection = try PostgresConnection(databaseURL, applicationName: "console-test-sql")
        defer { connection.close() }
        try connection.query(statement, params)
    }

    /// An owner (login `dona`, password `senha-segura-1`) created through the store.
    @discardableResult
    func owner() async throws -> ConsoleUser {
        try await store.createUser(login: "dona", displayName: "Dona", password: "senha-segura-1", role: .owner, allTenants: true,
                                   tenants: [], actor: "test")
    }
}

/// A browser for the router test client: keeps cookies, reads the CSRF token from the last page,
/// and posts forms with it.
final class ConsoleBrowser: @unchecked Sendable {
    // @unchecked: used by one test task at a time, sequentially.
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var lastBody = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeaders())
        remember(response)
        return response
    }

    /// Posts `fields` urlencoded; adds the CSRF token of the last page unless `csrf` is given
    /// (pass "" to send none).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
        var all = fields
        let token = csrf ?? csrfToken() ?? ""
        if !token.isEmpty { all.append(("_csrf", token)) }
        let body = all.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        var headers = cookieHeaders()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    func csrfToken() -> String? {
        guard let range = lastBody.range(of: #"name="_csrf" value="([0-9a-f]{64})""#, options: .regularExpression) else { return nil }
        return String(lastBody[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    func setCookieHeaders(_ response: TestResponse) -> [String] { response.headers[values: .setCookie] }

    private func remember(_ response: TestResponse) {
        lastBody = String(buffer: response.body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty { cookies.removeValue(forKey: String(pair[0])) } else { cookies[String(pair[0])] = String(pair[1]) }
        }
    }

    private func cookieHeaders() -> HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return headers
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
