public import Foundation

extension TrackhubConfigFile {
    /// Every problem in the file, errors and warnings, in file order. Reads the tokens and
    /// secrets it names (to check they exist and are not empty) but never reports their values.
    public func validate(environment: [String: String] = ProcessInfo.processInfo.environment) -> [ConfigProblem] {
        ConfigResolver(file: self, environment: environment).run().problems
    }

    /// Whether ``validate(environment:)`` finds no error (warnings allowed).
    public func isValid(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        !validate(environment: environment).contains(where: \.isError)
    }
}
