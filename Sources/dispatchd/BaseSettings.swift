import Logging
import TrackhubCore

/// The settings every subcommand needs, checked by the table (``DispatchSettings/common``).
struct BaseSettings {
    typealias S = DispatchSettings
    let databaseURL: String
    let redis: RedisEndpoint
    let layout: StreamLayout
    let masterKeyFile: String
    let acceptsPurposeOnly: Bool
    let logLevel: Logger.Level

    init(_ s: SettingsResolver) throws {
        databaseURL = try s.text(S.databaseURL)
        redis = try s.redisEndpoint(SharedSettings.redisURL)
        layout = StreamLayout(prefix: try s.text(SharedSettings.streamPrefix))
        masterKeyFile = try s.text(SharedSettings.masterKeyFile)
        acceptsPurposeOnly = try s.bool(SharedSettings.sealAcceptPurposeOnly)
        logLevel = try s.logLevel(SharedSettings.logLevel)
    }

    func keys() throws -> KeyRing {
        var keys: KeyRing
        do { keys = try KeyRing.load(path: masterKeyFile) } catch {
            throw SettingError(setting: SharedSettings.masterKeyFile, reason: "\(error)")
        }
        keys.acceptsPurposeOnly = acceptsPurposeOnly
        return keys
    }
}
