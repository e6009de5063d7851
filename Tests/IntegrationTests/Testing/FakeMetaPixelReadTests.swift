import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// The fake's Graph pixel read (`GET /{version}/{pixel}?fields=…`) over real HTTP, answering as
/// Graph does for the setup assistant's checks (reference console-alerts-telegram §1.2, §1.5).
@Suite("FakeMeta pixel read")
struct FakeMetaPixelReadTests {
    static let pixel = "1234567890"
    static let token = "EAAB-loja-x-token-71c2"

    func read(_ server: FakeMetaServer, _ pool: CurlClientPool, pixel: String = pixel, token: String?, fields: String = "id,name,last_fired_time")
        async -> (status: Int?, error: MetaGraphError?, body: String) {
        var url = server.baseURL + "/v25.0/" + pixel + "?fields=" + fields
        if let token { url += "&access_token=" + token }
        let outcome = await pool.get(url: url, timeout: .seconds(5))
        let body = outcome.body ?? []
        return (outcome.status, MetaGraphError.parse(Data(body)), String(decoding: body, as: UTF8.self))
    }

    @Test("a known pixel with its token answers the requested fields; problems answer Graph's codes")
    func pixelRead() async throws {
        try await FakeMetaServerSelfTests.withFake { server, pool in
            server.meta.registerPixel(id: Self.pixel, FakeMetaPixel(name: "Loja X"))
            server.meta.expectToken(pixel: Self.pixel, token: Self.token)
            server.meta.expectToken(pixel: "999", token: "EAAB-other-token")

            let ok = await read(server, pool, token: Self.token)
            #expect(ok.status == 200 && ok.body.contains(#""name":"Loja X""#) && ok.body.contains(#""id":"1234567890""#))
            #expect(!ok.body.contains("last_fired_time"), "a pixel that never fired has no last_fired_time")

            let missing = await read(server, pool, token: nil)
            #expect(missing.status == 400 && missing.error?.code == 104)
            let garbage = await read(server, pool, token: "not-a-token")
            #expect(garbage.error?.code == 190 && garbage.error?.subcode == nil)
            let otherPixelsToken = await read(server, pool, token: "EAAB-other-token")
            #expect(otherPixelsToken.error?.code == 100 && otherPixelsToken.error?.subcode == 33)
            let unknownPixel = await read(server, pool, pixel: "555", token: Self.token)
            #expect(unknownPixel.error?.code == 100 && unknownPixel.error?.subcode == 33)
            #expect(unknownPixel.error?.message?.hasPrefix("Unsupported get request. Object with ID '555' does not exist") == true)
            let badField = await read(server, pool, token: Self.token, fields: "id,secret_stuff")
            #expect(badField.error?.code == 100)

            server.meta.expireToken(Self.token)
            let expired = await read(server, pool, token: Self.token)
            #expect(expired.error?.code == 190 && expired.error?.subcode == 463)
        }
    }
}
