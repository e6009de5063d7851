import Foundation
import Testing
@testable import TrackhubCore

@Suite("reading a bot update: which ones are a /start, and its payload")
struct TelegramStartUpdateTests {
    func update(_ message: String, updateID: String = "900001") -> [UInt8] {
        Array(#"{"update_id":\#(updateID),"message":\#(message)}"#.utf8)
    }

    func message(text: String, isBot: Bool = false, chatType: String = "private") -> String {
        #"{"message_id":7,"from":{"id":5550001234,"is_bot":\#(isBot),"first_name":"Ana"},"chat":{"id":5550001234,"type":"\#(chatType)"},"date":1790000000,"text":"\#(text)"}"#
    }

    @Test("a deep-link /start: update id, user id, date and the payload")
    func deepLink() {
        #expect(TelegramStartUpdate.read(update(message(text: "/start 01jd0000000000000000000001")))
            == .start(TelegramStartUpdate(updateID: 900001, userID: 5550001234, date: 1_790_000_000, payload: "01jd0000000000000000000001")))
    }

    @Test("/start alone, /start@bot with a payload, spaces around")
    func variants() {
        guard case .start(let alone) = TelegramStartUpdate.read(update(message(text: "/start"))) else { Issue.record("not a start"); return }
        #expect(alone.payload == nil)
        guard case .start(let addressed) = TelegramStartUpdate.read(update(message(text: "  /start@acme_bot   abc_DEF-1 "))) else {
            Issue.record("not a start"); return
        }
        #expect(addressed.payload == "abc_DEF-1")
    }

    @Test("other messages and updates are not funnel steps; a body without update_id is malformed")
    func notStart() {
        #expect(TelegramStartUpdate.read(update(message(text: "oi, quero comprar"))) == .notStart(reason: "message is not a /start command"))
        #expect(TelegramStartUpdate.read(update(message(text: "/starting 1"))) == .notStart(reason: "message is not a /start command"))
        #expect(TelegramStartUpdate.read(update(message(text: "/start 1", isBot: true))) == .notStart(reason: "/start sent by a bot"))
        #expect(TelegramStartUpdate.read(update(message(text: "/start 1", chatType: "group"))) == .notStart(reason: "/start outside a private chat"))
        #expect(TelegramStartUpdate.read(Array(#"{"update_id":5,"callback_query":{"id":"1"}}"#.utf8)) == .notStart(reason: "update without a new message"))
        #expect(TelegramStartUpdate.read(Array(#"{"message":{}}"#.utf8)) == .malformed(reason: "update without update_id"))
        #expect(TelegramStartUpdate.read(Array("not json".utf8)) == .malformed(reason: "body is not a JSON object"))
    }

    @Test("the hashed external_id: sha256 of telegram:<id>, the same for every path")
    func identity() {
        #expect(TelegramUserIdentity.externalID(userID: 5550001234) == MetaHash.sha256Hex("telegram:5550001234"))
        #expect(TelegramUserIdentity.externalID(userID: 5550001234) != MetaHash.sha256Hex("5550001234"))
        #expect(TelegramUserIdentity.externalID(userID: 1).count == 64)
    }
}
