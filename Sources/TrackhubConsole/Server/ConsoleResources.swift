import Foundation

/// Where the console's templates, strings tables and static files are: the folder the operator
/// named (`TRACKHUB_CONSOLE_RESOURCES`), or the one built into the binary's resource bundle.
public enum ConsoleResources {
    /// The built-in folder (`Sources/TrackhubConsole/Resources`, copied into the bundle).
    public static var builtIn: String { Bundle.module.bundleURL.appendingPathComponent("Resources").path }

    public static func directory(_ configured: String?) -> String {
        guard let configured, !configured.isEmpty else { return builtIn }
        return configured
    }
}
