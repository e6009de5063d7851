import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore

/// Roles, tenant scoping, the Início status line from real rows, and escaping.
@Suite("Console: roles, tenants, Início", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct ConsoleScopeTests {
    /// Two tenants (loja-a, loja-b) with a pixel each and an approved sale each, today.
    static func plant(_ f: ConsoleFixture) throws {
        try f.sql("INSERT INTO tenants (id, name) VALUES ('loja-a', 'Loja A'), ('loja-b', 'Loja B')")
        try f.sql("INSERT INTO pixels (id, tenant_id) VALUES ('111', 'loja-a'), ('222', 'loja-b')")
        try f.sql("""
            INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, occurred_at)
            VALUES ('hotmart', 'a', 'HP-A-1', 'approved', 'loja-a', 197.5, now()),
                   ('kiwify', 'b', 'KW-B-1', 'approved', 'loja-b', 97, now())
            """)
    }

    @Test("a viewer of one tenant sees only that tenant's sales, and is refused the other")
    func tenantScoping() async throws {
        try await ConsoleFixture.run { f in
            try Self.plant(f)
            try await f.store.createUser(login: "ana", displayName: "Ana", password: "senha-segura-1", role: .viewer,
                                         allTenants: false, tenants: ["loja-a"], actor: "test")
            let viewer = ConsoleBrowser(f.client)
            try await viewer.get("/login")
            try await viewer.post("/login", [("login", "ana"), ("password", "senha-segura-1")])
            try await viewer.get("/")
            #expect(viewer.lastBody.contains("HP-A-1") && !viewer.lastBody.contains("KW-B-1"))
            #expect(viewer.lastBody.contains("Tudo certo: 1 vendas hoje, 0 enviadas ao Meta."))
            #expect(viewer.lastBody.contains("R$ 197,50"))
            #expect(try await viewer.get("/?tenant=loja-b").status == .forbidden)
            #expect(viewer.lastBody.contains("Sem permissão"))
            #expect(try await viewer.get("/?tenant=loja-a").status == .ok)

            try await f.owner()
            let owner = ConsoleBrowser(f.client)
            try await owner.get("/login")
            try await owner.post("/login", [("login", "dona"), ("password", "senha-segura-1")])
            try await owner.get("/")
            #expect(owner.lastBody.contains("HP-A-1") && owner.lastBody.contains("KW-B-1"))
            #expect(owner.lastBody.contains("Todos os clientes"), "an owner of two tenants gets the picker")
            try await owner.get("/?tenant=loja-b")
            #expect(!owner.lastBody.contains("HP-A-1") && owner.lastBody.contains("KW-B-1"))
        }
    }

    @Test("roles: viewer may only view, admin configures its tenants, owner manages users")
    func roles() {
        let viewer = ConsoleUser(id: 1, login: "v", displayName: "", role: .viewer, allTenants: false, tenants: ["a"])
        let admin = ConsoleUser(id: 2, login: "a", displayName: "", role: .admin, allTenants: false, tenants: ["a"])
        let owner = ConsoleUser(id: 3, login: "o", displayName: "", role: .owner, allTenants: false, tenants: [])
        #expect(viewer.may(.view, tenant: "a") && !viewer.may(.view, tenant: "b") && !viewer.may(.configure, tenant: "a"))
        #expect(admin.may(.configure, tenant: "a") && !admin.may(.configure, tenant: "b") && !admin.may(.manageUsers))
        #expect(owner.may(.configure, tenant: "b") && owner.may(.manageUsers) && owner.visibleTenants(among: ["a", "b"]) == ["a", "b"])
    }

    @Test("a refused token turns the status line to Atenção with the waiting events and the action")
    func tokenProblem() async throws {
        try await ConsoleFixture.run { f in
            try Self.plant(f)
            for i in 0..<3 {
                try f.sql("""
                    INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, outcome, http_status, meta_code, meta_subcode)
                    VALUES ($1, 'Purchase', '111', 'parked', 400, 190, 463)
                    """, [.string("ev-\(i)")])
            }
            try await f.owner()
            let owner = ConsoleBrowser(f.client)
            try await owner.get("/login")
            try await owner.post("/login", [("login", "dona"), ("password", "senha-segura-1")])
            try await owner.get("/")
            #expect(owner.lastBody.contains(#"data-level="attention""#))
            #expect(owner.lastBody.contains("Atenção: o token do pixel 111 expirou — 3 eventos aguardando."))
            #expect(owner.lastBody.contains("Trocar token"))
        }
    }

    @Test("what a webhook or a user controls is shown escaped")
    func escaping() async throws {
        try await ConsoleFixture.run { f in
            try Self.plant(f)
            let xss = #"<script>alert("x")</script>"#
            try f.sql("""
                INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, occurred_at, ignored_reason)
                VALUES ('hotmart', 'a', $1, 'approved', 'loja-a', 1, now(), $1)
                """, [.string(xss)])
            try await f.store.createUser(login: "x", displayName: #"<img src=x onerror="alert(1)">"#, password: "senha-segura-1",
                                         role: .owner, allTenants: true, tenants: [], actor: "test")
            let browser = ConsoleBrowser(f.client)
            try await browser.get("/login")
            try await browser.post("/login", [("login", "x"), ("password", "senha-segura-1")])
            try await browser.get("/")
            #expect(!browser.lastBody.contains("<script>alert") && !browser.lastBody.contains("<img src=x"))
            #expect(browser.lastBody.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
            #expect(browser.lastBody.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
            let login = try await ConsoleBrowser(f.client).get("/login?next=/%22%3E%3Cscript%3E")
            #expect(!String(buffer: login.body).contains("\"><script>"))
        }
    }
}
