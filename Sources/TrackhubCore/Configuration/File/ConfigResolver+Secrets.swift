/// Reading the secrets a file names, and checking the sale-event settings of an account.
extension ConfigResolver {
    /// The settings a gateway account understands: which Meta event each sale status becomes.
    static let saleEventSettings = ["approved_event", "pending_event", "refund_event", "chargeback_event"]

    /// Sale event names must be names Meta accepts (letters, digits, `_`, up to 40), or every
    /// such sale would be dead-lettered at send time instead of refused here.
    func checkSaleEventSettings(_ map: [String: ConfigValue], path: String, _ out: Collector) {
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            guard Self.saleEventSettings.contains(key) else {
                out.warning("\(path).\(key)", "is not a setting Trackhub uses (\(Self.saleEventSettings.joined(separator: ", ")))")
                continue
            }
            guard case .string(let name) = value, let first = name.first, first.isASCII, first.isLetter, name.count <= 40,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                out.error("\(path).\(key)", "must be a Meta event name: a letter, then letters, digits or _, at most 40 (e.g. PaymentPending)")
                continue
            }
        }
    }

    /// Exactly one of two single sources; reports under the key that was given (or the parent).
    func readOne(
        _ out: Collector, _ at: String, what: String, env: (String?, String), file: (String?, String)
    ) -> String? {
        switch (env.0, file.0) {
        case (nil, nil):
            out.error(at, "set \(env.1) (an environment variable) or \(file.1) (a file) holding \(what)")
            return nil
        case (.some, .some):
            out.error(at, "set only one of \(env.1) and \(file.1)")
            return nil
        case (let name?, nil):
            return read(out, "\(at).\(env.1)", .environment(name))
        case (nil, let path?):
            return read(out, "\(at).\(file.1)", .file(path))
        }
    }

    func readSecrets(_ out: Collector, _ at: String, _ account: TrackhubConfigFile.GatewayAccount) -> [String]? {
        var given: [(key: String, sources: [SecretSource])] = []
        if let name = account.secretEnv { given.append(("secret_env", [.environment(name)])) }
        if let path = account.secretFile { given.append(("secret_file", [.file(path)])) }
        if let names = account.secretsEnv { given.append(("secrets_env", names.map { .environment($0) })) }
        if let paths = account.secretsFile { given.append(("secrets_file", paths.map { .file($0) })) }
        guard given.count == 1, let only = given.first else {
            if given.isEmpty {
                out.error(at, "set secret_env (an environment variable) or secret_file (a file) holding the webhook secret")
            } else {
                out.error(at, "set only one of \(given.map(\.key).joined(separator: ", "))")
            }
            return nil
        }
        if only.sources.isEmpty {
            out.error("\(at).\(only.key)", "lists no secret")
            return nil
        }
        let single = only.key == "secret_env" || only.key == "secret_file"
        var values: [String] = []
        var failed = false
        for (index, source) in only.sources.enumerated() {
            let path = single ? "\(at).\(only.key)" : "\(at).\(only.key)[\(index)]"
            if let value = read(out, path, source) {
                if values.contains(value) {
                    out.warning(path, "holds the same secret as an earlier entry")
                } else {
                    values.append(value)
                }
            } else {
                failed = true
            }
        }
        return failed ? nil : values
    }

    func read(_ out: Collector, _ path: String, _ source: SecretSource) -> String? {
        switch source.read(environment: environment, baseDirectory: file.baseDirectory) {
        case .success(let value):
            if let warning = source.storageWarning(baseDirectory: file.baseDirectory) { out.warning(path, warning) }
            return value
        case .failure(let failure):
            out.error(path, failure.message)
            return nil
        }
    }
}
