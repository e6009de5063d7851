import Synchronization
import TrackhubCore

/// The Bot API methods as the fake answers them.
extension FakeTelegram {
    static let methods: Set<String> = ["getMe", "setWebhook", "getWebhookInfo", "deleteWebhook", "sendMessage"]
    static let parseModes: Set<String> = ["HTML", "MarkdownV2", "Markdown"]

    /// Answers `POST|GET /<segment>/<method>` where `segment` should be `bot<token>`; records
    /// the call. `body` is JSON or empty (the client sends JSON).
    func handle(segment: String, method: String, body: [UInt8]) -> FakeTelegramReply {
        let json: FakeJSON? = body.isEmpty ? .object([:]) : FakeJSON.parse(body)
        return state.withLock { s in
            let token = segment.hasPrefix("bot") ? String(segment.dropFirst(3)) : nil
            let username = token.flatMap { t in s.bots.values.first { $0.token == t }?.username }
            let reply: FakeTelegramReply
            if token == nil {
                reply = .notFound
            } else if let username, var bot = s.bots[username], !bot.revoked {
                if !Self.methods.contains(method) {
                    reply = .notFound
                } else if let json, json.objectValue != nil {
                    reply = Self.answer(method: method, body: json, bot: &bot, state: &s)
                    s.bots[username] = bot
                } else {
                    reply = .error(400, "Bad Request: can't parse JSON")
                }
            } else {
                reply = .unauthorized
            }
            s.calls.append(FakeTelegramCall(bot: username, method: method, body: json ?? .null, status: reply.status))
            return reply
        }
    }

    private static func answer(method: String, body: FakeJSON, bot: inout Bot, state s: inout State) -> FakeTelegramReply {
        if var queued = bot.nextFailures[method], !queued.isEmpty {
            let failure = queued.removeFirst()
            bot.nextFailures[method] = queued
            return .error(failure.errorCode, failure.description, retryAfter: failure.retryAfter)
        }
        switch method {
        case "getMe":
            if let failure = bot.getMeFailure { return .error(failure.errorCode, failure.description, retryAfter: failure.retryAfter) }
            return .ok([
                "id": .int(Int(bot.id)), "is_bot": true, "first_name": .string(bot.username), "username": .string(bot.username),
                "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            ])
        case "setWebhook":
            return setWebhook(body, bot: &bot)
        case "deleteWebhook":
            let had = !(bot.webhook?.url.isEmpty ?? true)
            bot.webhook = nil
            return .ok(true, description: had ? "Webhook was deleted" : "Webhook is already deleted")
        case "getWebhookInfo":
            let hook = bot.webhook
            var info: [String: FakeJSON] = [
                "url": .string(hook?.url ?? ""), "has_custom_certificate": false,
                "pending_update_count": .int(hook?.pendingUpdateCount ?? 0),
            ]
            if let hook {
                info["max_connections"] = .int(hook.maxConnections)
                if let date = hook.lastErrorDate { info["last_error_date"] = .int(date) }
                if let message = hook.lastErrorMessage { info["last_error_message"] = .string(message) }
                if let allowed = hook.allowedUpdates { info["allowed_updates"] = .array(allowed.map { .string($0) }) }
            }
            return .ok(.object(info))
        case "sendMessage":
            return sendMessage(body, bot: bot, state: &s)
        default:
            return .notFound
        }
    }

    private static func setWebhook(_ body: FakeJSON, bot: inout Bot) -> FakeTelegramReply {
        guard let url = body["url"]?.stringValue else { return .error(400, "Bad Request: bad webhook: URL must be provided") }
        if url.isEmpty {
            bot.webhook = nil
            return .ok(true, description: "Webhook is already deleted")
        }
        let loopback = url.hasPrefix("http://127.0.0.1:") || url.hasPrefix("http://localhost:")
        guard url.hasPrefix("https://") || loopback else {
            return .error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        }
        var secret: String?
        if let value = body["secret_token"] {
            guard let text = value.stringValue, TelegramWebhookSettings.isValidSecretToken(text) else {
                return .error(400, "Bad Request: secret token contains unallowed characters")
            }
            secret = text
        }
        var allowed = bot.webhook?.allowedUpdates  // omitted: the previous setting is kept
        if let value = body["allowed_updates"] {
            guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                return .error(400, "Bad Request: can't parse allowed updates")
            }
            allowed = list.compactMap(\.stringValue)
        }
        let maxConnections = body["max_connections"]?.intValue ?? 40
        guard (1...100).contains(maxConnections) else { return .error(400, "Bad Request: bad webhook: invalid max_connections") }
        let pending = body["drop_pending_updates"]?.boolValue == true ? 0 : (bot.webhook?.pendingUpdateCount ?? 0)
        bot.webhook = FakeTelegramWebhook(url: url, secretToken: secret, allowedUpdates: allowed, maxConnections: maxConnections,
                                          pendingUpdateCount: pending)
        return .ok(true, description: "Webhook was set")
    }

    private static func sendMessage(_ body: FakeJSON, bot: Bot, state s: inout State) -> FakeTelegramReply {
        let chat: String
        switch body["chat_id"] {
        case .int(let id)?: chat = String(id)
        case .string(let id)? where !id.isEmpty: chat = id
        default: return .error(400, "Bad Request: chat_id is empty")
        }
        guard let text = body["text"]?.stringValue, !text.isEmpty else { return .error(400, "Bad Request: message text is empty") }
        let parseMode = body["parse_mode"]?.stringValue
        if let parseMode, !parseModes.contains(parseMode) { return .error(400, "Bad Request: unsupported parse_mode") }
        var visible = text
        if parseMode == "HTML" {
            switch FakeTelegramHTML.visibleText(text) {
            case .success(let plain): visible = plain
            case .failure(let problem): return .error(400, "Bad Request: can't parse entities: \(problem.description)")
            }
        }
        guard visible.count <= TelegramOutgoingMessage.maxTextLength else { return .error(400, "Bad Request: message is too long") }
        guard bot.chats.contains(chat) else { return .error(400, "Bad Request: chat not found") }
        let id = s.nextMessageID
        s.nextMessageID += 1
        s.messages.append(FakeTelegramMessage(bot: bot.username, chatID: chat, messageID: id, text: text, parseMode: parseMode,
                                              disableNotification: body["disable_notification"]?.boolValue ?? false))
        return .ok([
            "message_id": .int(id), "date": .int(Int(s.calls.count)),
            "chat": ["id": Int(chat).map { .int($0) } ?? .string(chat)], "text": .string(visible),
        ])
    }
}
