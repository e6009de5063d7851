import CLibPQ
import Foundation

/// The keyword/value arrays handed to `PQconnectdbParams`, built from the operator's
/// connection string without ever interpolating anything into it.
///
/// The operator's string (a `postgres://` URL or `key=value` conninfo) goes in verbatim as the
/// `dbname` value with `expand_dbname=1`, so libpq does all the parsing and quoting. libpq
/// processes keywords in array order and the last value wins, which gives two tiers:
///
/// - before `dbname`: defaults the operator's string may override (connect timeout, TCP
///   keepalives so a dead peer is noticed instead of blocking a thread forever);
/// - after `dbname`: what the client depends on and pins — `client_encoding=UTF8` (results are
///   decoded as UTF-8), and session settings appended to the operator's own `options`
///   (`TimeZone=UTC`, `DateStyle=ISO,YMD`, `bytea_output=hex`, `extra_float_digits=3`) that fix
///   the text formats ``PostgresText`` parses. Pinning them here rather than with `SET` costs no
///   round trip and survives `PQreset`.
///
/// The string is first parsed with `PQconninfoParse`: a malformed one is rejected with a
/// message that does not quote it (libpq's own parse errors echo fragments, which can be the
/// password), and the password is remembered so it can be scrubbed from any libpq message.
struct PostgresConnectParameters {
    let keywords: [String]
    let values: [String]
    /// Strings that must never appear in an error (the password, the whole connection string).
    let secrets: [String]

    /// Session settings the text decoders rely on.
    static let pinnedOptions = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c bytea_output=hex -c extra_float_digits=3"

    init(conninfo: String, applicationName: String, connectTimeoutSeconds: Int) throws {
        guard !conninfo.utf8.contains(0) else {
            throw PostgresError(.connectionFailed, "invalid connection string: it contains a NUL byte")
        }
        var parseError: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &parseError) else {
            // Deliberately not libpq's message: it quotes the offending part of the string.
            if let parseError { PQfreemem(parseError) }
            throw PostgresError(
                .connectionFailed,
                "invalid connection string: libpq could not parse it (expected postgres://user:password@host:port/database?param=value "
                    + "or key=value pairs; percent-encode special characters in a URL's password)"
            )
        }
        defer { PQconninfoFree(parsed) }

        var given: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { given[String(cString: keyword)] = String(cString: value) }
            option += 1
        }

        var secrets = [conninfo]
        if let password = given["password"] { secrets.append(password) }
        if given["password"] == nil, let password = ProcessInfo.processInfo.environment["PGPASSWORD"] {
            secrets.append(password)
        }
        self.secrets = secrets.filter { !$0.isEmpty }

        // libpq only falls back to PGOPTIONS when no `options` keyword is given; since we always
        // give one, honour the environment the same way before appending the pinned settings.
        let operatorOptions = given["options"] ?? ProcessInfo.processInfo.environment["PGOPTIONS"] ?? ""
        let options = operatorOptions.isEmpty ? Self.pinnedOptions : operatorOptions + " " + Self.pinnedOptions

        let pairs: [(String, String)] = [
            ("fallback_application_name", applicationName),
            ("connect_timeout", String(max(1, connectTimeoutSeconds))),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
            ("dbname", conninfo),
            ("client_encoding", "UTF8"),
            ("options", options),
        ]
        keywords = pairs.map(\.0)
        values = pairs.map(\.1)
    }

    /// Calls `body` with NULL-terminated C arrays of the keywords and values.
    func withCArrays<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let keywordCopies = keywords.map { strdup($0) }
        let valueCopies = values.map { strdup($0) }
        defer {
            keywordCopies.forEach { free($0) }
            valueCopies.forEach { free($0) }
        }
        let keywordArray: [UnsafePointer<CChar>?] = keywordCopies.map { UnsafePointer($0) } + [nil]
        let valueArray: [UnsafePointer<CChar>?] = valueCopies.map { UnsafePointer($0) } + [nil]
        return keywordArray.withUnsafeBufferPointer { k in
            valueArray.withUnsafeBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
        }
    }

    /// `message` with every secret replaced.
    func scrub(_ message: String) -> String {
        PostgresError.scrubbing(secrets, from: message)
    }
}
