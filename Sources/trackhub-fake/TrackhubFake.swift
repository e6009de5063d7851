import ArgumentParser

/// `trackhub-fake`: the fakes of TrackhubTesting as a process, for the scripts that run the
/// real daemons (`scripts/bench`, `scripts/faults`).
///
///     trackhub-fake meta --port 7203 [--latency-ms 40] [--records FILE]   fake Meta + Mercado Pago + control API
///     trackhub-fake meta --port 7305 --count-only --latency-ms 5          counting-only fake Meta (GET /stats)
///     trackhub-fake sign hotmart --transaction HP1 --secret S [--click-id C]   one signed delivery as JSON
///     trackhub-fake sign --stdio                                          one delivery per JSON line read
///     trackhub-fake telegram --port 7210 [--bot NAME=TOKEN]                fake Telegram Bot API + /_telegram control
@main
struct TrackhubFake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackhub-fake",
        abstract: "Fakes of Meta, Mercado Pago and Telegram, and the gateway signers, for scripts.",
        subcommands: [MetaCommand.self, SignCommand.self, TelegramCommand.self]
    )
}
