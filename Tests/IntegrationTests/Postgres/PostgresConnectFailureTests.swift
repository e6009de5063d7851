import Testing
import TrackhubCore

/// Connection failures end up in logs: none of their text may carry the password or the
/// connection string. These need no running server (they point at a closed port).
@Suite("Postgres connect failures")
struct PostgresConnectFailureTests {
    static let password = "Hunter2-Sup3r-S3cret"

    private func assertNoSecrets(_ error: PostgresError, _ conninfo: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in [error.description, error.debugDescription, error.message, String(describing: error), String(reflecting: error)] {
            #expect(!text.contains(Self.password), "error text leaks the password: \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains(conninfo), "error text leaks the connection string", sourceLocation: sourceLocation)
        }
        #expect(error.kind == .connectionFailed, sourceLocation: sourceLocation)
        #expect(error.isConnectionProblem, sourceLocation: sourceLocation)
    }

    @Test("refused URL connection: kind connectionFailed, no password in any text")
    func refusedURL() {
        let port = PostgresTestEnvironment.closedPort()
        let url = "postgres://trackhub:\(Self.password)@127.0.0.1:\(port)/trackhub?connect_timeout=2"
        let error = expectPostgresError { _ = try PostgresConnection(url) }
        guard let error else { return }
        assertNoSecrets(error, url)
        // Still useful to an operator: says where it tried.
        #expect(error.description.contains("127.0.0.1"))
    }

    @Test("refused key=value connection: no password in any text")
    func refusedKeywordString() {
        let port = PostgresTestEnvironment.closedPort()
        let conninfo = "host=127.0.0.1 port=\(port) user=trackhub password='\(Self.password)' dbname=trackhub connect_timeout=2"
        let error = expectPostgresError { _ = try PostgresConnection(conninfo) }
        guard let error else { return }
        assertNoSecrets(error, conninfo)
    }

    @Test(
        "malformed connection strings are rejected without quoting them",
        arguments: [
            "postgres://trackhub:\(password)%ZZ@127.0.0.1/trackhub",
            "host=127.0.0.1 password='\(password)",
            "host=127.0.0.1 \(password)",
            "postgres://trackhub:\(password)@127.0.0.1/trackhub?no_such_option=\(password)",
        ]
    )
    func malformed(conninfo: String) {
        let error = expectPostgresError { _ = try PostgresConnection(conninfo) }
        guard let error else { return }
        assertNoSecrets(error, conninfo)
        #expect(error.description.contains("invalid connection string"))
    }

    @Test("a NUL byte in the connection string is refused before libpq sees it")
    func nulByte() {
        let conninfo = "host=127.0.0.1\u{0}password=\(Self.password)"
        let error = expectPostgresError { _ = try PostgresConnection(conninfo) }
        guard let error else { return }
        assertNoSecrets(error, conninfo)
    }
}
