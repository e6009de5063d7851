/// A bad setting value. The message names the setting (flag and variable) and the reason,
/// never the value itself when the setting may carry a secret.
public struct SettingError: Error, CustomStringConvertible, Sendable {
    public let setting: Setting
    public let reason: String

    public init(setting: Setting, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "invalid setting \(setting): \(reason)" }
}
