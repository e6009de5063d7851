/// A sentence the console shows a seller, in pt-BR (the default) and English.
///
/// The insight layer decides *what* to say (a diagnosis, a dead letter's reason in words), so
/// it owns both languages of it; the console only picks one. Values are plain text: the
/// console escapes them when it renders.
public struct InsightText: Sendable, Equatable, Hashable {
    public var ptBR: String
    public var en: String

    public init(_ ptBR: String, en: String) {
        self.ptBR = ptBR
        self.en = en
    }

    /// The text in the language the user chose (pt-BR unless `english`).
    public func text(english: Bool = false) -> String { english ? en : ptBR }
}
