extension TrackhubConfigFile {
    /// Why a configuration file could not be read. Messages name the file and the place in it,
    /// never a value from it.
    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String)
        case unsupportedExtension(path: String)
        /// Not well-formed YAML / JSON.
        case syntax(path: String, message: String)
        /// Well-formed, but a value has the wrong type (a list where a map belongs, text where
        /// a number belongs…).
        case shape(path: String, at: String, message: String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "\(path): cannot be read"
            case .unsupportedExtension(let path): return "\(path): use a .yaml, .yml or .json file"
            case .syntax(let path, let message): return "\(path): \(message)"
            case .shape(let path, let at, let message): return at.isEmpty ? "\(path): \(message)" : "\(path): \(at): \(message)"
            }
        }
    }
}
