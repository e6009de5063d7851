public import Foundation

/// A statement parameter, sent to the server as text (libpq's text format).
///
/// Parameters travel beside the SQL (`PQexecParams`), never inside it, so no value can change a
/// statement's meaning. `nil` in a `[PostgresValue?]` is SQL NULL.
///
/// Each case except ``string(_:)`` also sends its type OID, so `$1` is typed even where the
/// statement gives no context (`SELECT $1`, `coalesce($1, …)`); ``string(_:)`` is sent untyped
/// so it fits any column whose input accepts the text (text, inet, uuid, enums, json…).
public enum PostgresValue: Sendable, Hashable {
    /// Text; its type comes from the statement. Must not contain a NUL character.
    case string(String)
    /// `int8`: assignable to `int4`/`int2` columns (out-of-range values are rejected) and
    /// comparable with them, but Postgres does not narrow it implicitly for a function
    /// argument: write `pg_terminate_backend($1::int)` where a function takes `int4`.
    case int(Int)
    /// `float8`. Infinities and NaN are sent as Postgres spells them.
    case double(Double)
    /// `bool`.
    case bool(Bool)
    /// `bytea`.
    case bytes([UInt8])
    /// `jsonb`, from already-encoded JSON text. See ``jsonEncoded(_:)``.
    case json(String)
    /// `timestamptz` with microsecond precision (the server's resolution), sent in UTC.
    case timestamp(Date)
    /// `numeric` from its decimal text (e.g. `"197.00"`): money never passes through a Double.
    case numeric(String)
    /// One-dimensional `text[]`.
    case textArray([String])

    /// Encodes `value` with a `JSONEncoder` (sorted keys, so equal values give equal text) as
    /// a ``json(_:)`` parameter.
    public static func jsonEncoded<T: Encodable>(_ value: T) throws -> PostgresValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return .json(String(decoding: data, as: UTF8.self))
    }

    /// The parameter's type OID for `PQexecParams`; 0 lets the server infer it.
    var typeOID: UInt32 {
        switch self {
        case .string: 0
        case .int: 20  // int8
        case .double: 701  // float8
        case .bool: 16  // bool
        case .bytes: 17  // bytea
        case .json: 3802  // jsonb
        case .timestamp: 1184  // timestamptz
        case .numeric: 1700  // numeric
        case .textArray: 1009  // _text
        }
    }

    /// The value in Postgres' text input format.
    /// - Throws: ``PostgresError/Kind/invalidArgument`` for a Date that is not a finite
    ///   instant within Postgres' range. (Other range and syntax checks are the server's.)
    func encodedText() throws -> String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return PostgresText.encodeDouble(value)
        case .bool(let value): return value ? "t" : "f"
        case .bytes(let value): return PostgresText.encodeBytea(value)
        case .json(let value): return value
        case .timestamp(let value):
            guard let text = PostgresText.encodeTimestamp(value) else {
                throw PostgresError(.invalidArgument, "a timestamp parameter is not a finite date within Postgres' range")
            }
            return text
        case .numeric(let value): return value
        case .textArray(let value): return PostgresText.encodeTextArray(value)
        }
    }
}

extension PostgresValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension PostgresValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension PostgresValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension PostgresValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
