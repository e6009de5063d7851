/// The fake Telegram's control API, for scripts driving `trackhub-fake telegram` (tests in
/// process call ``FakeTelegram`` directly). Every answer is `{"ok":true,…}` or 400
/// `{"ok":false,"error":…}`.
///
///     POST /_telegram/bots      {"username","token"}                 register a bot
///     POST /_telegram/getme     {"bot","error_code"?,"description"?}  getMe fails so (no code: works again)
///     POST /_telegram/revoke    {"bot","revoked":true|false}         every method 401 / works again
///     POST /_telegram/fail      {"bot","method","count","error_code","retry_after"?}
///     POST /_telegram/chats     {"bot","chat_id"}                    the bot may message this chat
///     POST /_telegram/push      {"bot","update"? | "start"?:{"user_id","payload"?,"update_id"?},"secret"?}
///                               → {"ok":true,"status":N|null,"update":…}  (delivered like Telegram)
///     POST /_telegram/reset     forget calls and messages
///     GET  /_telegram/messages?bot=B      {"ok":true,"messages":[{"bot","chat_id","message_id","text","parse_mode"}]}
///     GET  /_telegram/calls?bot=B&method=M {"ok":true,"calls":[{"bot","method","status","body"}]}
///     GET  /_telegram/webhook?bot=B       {"ok":true,"webhook":{"url","secret_set","pending_update_count"}|null}
enum FakeTelegramControl {
    static func apply(action: String, query: [String: String], body: [UInt8], telegram: FakeTelegram) async -> FakeTelegramReply {
        let input = body.isEmpty ? FakeJSON.object([:]) : (FakeJSON.parse(body) ?? .null)
        do {
            return .ok200(try await run(action, query: query, input: input, telegram: telegram))
        } catch {
            return FakeTelegramReply(status: 400, body: ["ok": false, "error": .string(String(describing: error))])
        }
    }

    private static func run(_ action: String, query: [String: String], input: FakeJSON, telegram: FakeTelegram) async throws -> [String: FakeJSON] {
        func need(_ key: String) throws -> String {
            guard let value = input[key]?.stringValue ?? query[key] else { throw FakeServerError("\(action) needs \"\(key)\"") }
            return value
        }
        switch action {
        case "bots":
            telegram.addBot(token: try need("token"), username: try need("username"))
            return [:]
        case "getme":
            let failure = input["error_code"]?.intValue.map {
                FakeTelegramFailure(errorCode: $0, description: input["description"]?.stringValue, retryAfter: input["retry_after"]?.intValue)
            }
            telegram.setGetMeFailure(failure, bot: try need("bot"))
            return [:]
        case "revoke":
            telegram.setRevoked(input["revoked"]?.boolValue ?? true, bot: try need("bot"))
            return [:]
        case "fail":
            guard let code = input["error_code"]?.intValue else { throw FakeServerError("fail needs \"error_code\"") }
            telegram.failNext(input["count"]?.intValue ?? 1, method: try need("method"), bot: try need("bot"),
                              with: FakeTelegramFailure(errorCode: code, retryAfter: input["retry_after"]?.intValue))
            return [:]
        case "chats":
            let chat = input["chat_id"]?.intValue.map(String.init) ?? input["chat_id"]?.stringValue
            guard let chat else { throw FakeServerError("chats needs \"chat_id\"") }
            telegram.addChat(chat, bot: try need("bot"))
            return [:]
        case "push":
            let bot = try need("bot")
            let update: FakeJSON
            if let given = input["update"] {
                update = given
            } else if let start = input["start"], let user = start["user_id"]?.intValue {
                update = telegram.startUpdate(bot: bot, userID: Int64(user), payload: start["payload"]?.stringValue,
                                              updateID: start["update_id"]?.intValue)
            } else {
                throw FakeServerError("push needs \"update\" or \"start\":{\"user_id\"}")
            }
            let status = try await telegram.push(bot: bot, update: update, secret: input["secret"]?.stringValue)
            return ["status": status.map { .int($0) } ?? .null, "update": update]
        case "reset":
            telegram.clearRecords()
            return [:]
        case "messages":
            return ["messages": .array(telegram.messages(bot: query["bot"]).map { m in
                ["bot": .string(m.bot), "chat_id": .string(m.chatID), "message_id": .int(m.messageID), "text": .string(m.text),
                 "parse_mode": m.parseMode.map { .string($0) } ?? .null]
            })]
        case "calls":
            return ["calls": .array(telegram.calls(bot: query["bot"], method: query["method"]).map { c in
                ["bot": c.bot.map { .string($0) } ?? .null, "method": .string(c.method), "status": .int(c.status), "body": c.body]
            })]
        case "webhook":
            guard let hook = telegram.webhook(bot: try need("bot")) else { return ["webhook": .null] }
            return ["webhook": ["url": .string(hook.url), "secret_set": .bool(hook.secretToken != nil),
                                "pending_update_count": .int(hook.pendingUpdateCount)]]
        default:
            throw FakeServerError("unknown control action \(action)")
        }
    }
}

extension FakeTelegramReply {
    /// A control answer: `{"ok":true}` plus `members`.
    static func ok200(_ members: [String: FakeJSON]) -> FakeTelegramReply {
        var body = members
        body["ok"] = true
        return FakeTelegramReply(status: 200, body: .object(body))
    }
}
