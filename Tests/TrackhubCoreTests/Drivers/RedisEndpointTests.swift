import Testing
import TrackhubCore

@Suite("RedisEndpoint")
struct RedisEndpointTests {
    @Test("an ACL user name in the URL is kept and authenticates as that user")
    func aclUser() throws {
        let e = try #require(RedisEndpoint(url: "redis://trackhub:s%40cret@10.0.0.5:6380/3"))
        #expect(e.address == .tcp(host: "10.0.0.5", port: 6380))
        #expect(e.database == 3)
        #expect(e.user == "trackhub")
        #expect(e.password == "s@cret")
        #expect(e.authCommand == ["AUTH", "trackhub", "s@cret"])
        #expect(e.description == "redis://trackhub@10.0.0.5:6380/3")
        #expect(!e.description.contains("cret"))
    }

    @Test("without a user the password is the default user's; without either nothing is sent")
    func defaultUser() throws {
        let withPassword = try #require(RedisEndpoint(url: "redis://:s3cret@127.0.0.1/0"))
        #expect(withPassword.user == nil)
        #expect(withPassword.authCommand == ["AUTH", "s3cret"])
        #expect(try #require(RedisEndpoint(url: "redis://127.0.0.1:6379/0")).authCommand == nil)
    }

    @Test("a user without a password still switches user (a nopass ACL user)")
    func userWithoutPassword() throws {
        let e = try #require(RedisEndpoint(url: "redis://reader@127.0.0.1:6379"))
        #expect(e.user == "reader")
        #expect(e.password == nil)
        #expect(e.authCommand == ["AUTH", "reader", ""])
    }

    @Test("unix socket URLs take a user too")
    func unixUser() throws {
        let e = try #require(RedisEndpoint(url: "unix://trackhub:pw@/run/redis/redis.sock?db=2"))
        #expect(e.address == .unix(path: "/run/redis/redis.sock"))
        #expect(e.database == 2)
        #expect(e.authCommand == ["AUTH", "trackhub", "pw"])
    }
}
