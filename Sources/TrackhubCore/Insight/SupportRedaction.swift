/// Scrubs free text for the support bundle, which leaves the installation (it is sent to
/// whoever helps): e-mail addresses and phone numbers are masked (``Redact``), and long
/// token-like runs — access tokens, secrets, hashes of personal data — are cut to their last
/// four characters. Applied to every value written into the bundle, including ones that
/// should hold no such thing (Meta's messages, gateway reasons, settings), because a value that
/// *should not* contain a token is exactly where one leaks.
public enum SupportRedaction {
    /// Runs this long (letters and digits with `_-.+/=`) mixing letters and digits are taken
    /// for secrets. Event ids and order ids are shorter; click ids are 26 and are cut too.
    public static let tokenLength = 24

    public static func scrub(_ text: String) -> String {
        var out = text
        out = out.replacing(#/[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/#) { Redact.email(String($0.output)) }
        out = out.replacing(#/[A-Za-z0-9_\-+/=.]{24,}/#) { match in
            let run = String(match.output)
            let letters = run.contains { $0.isLetter }
            let digits = run.contains { $0.isNumber }
            return letters && digits ? Redact.token(run) : run
        }
        out = out.replacing(#/\+?\(?\d[\d\s().\-]{8,}\d/#) { match in
            let run = String(match.output)
            return run.filter(\.isNumber).count >= 10 ? Redact.phone(run) : run
        }
        return out
    }
}
