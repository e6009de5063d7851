/// What a token or permission failure from Meta means for the seller, and what to do — the
/// wording of reference §1.5 (code/subcode → user action). Which failures count as token or
/// permission problems is ``MetaResponseClassifier``'s decision, not repeated here.
public enum MetaTokenProblem {
    /// The explanation of a failed attempt; nil when it is not a token/permission failure.
    public static func explain(_ attempt: LedgerAttempt) -> InsightText? {
        let failureClass = MetaResponseClassifier.classify(httpStatus: attempt.httpStatus, code: attempt.metaCode,
                                                           subcode: attempt.metaSubcode, isTransient: nil)
        guard failureClass == .token || failureClass == .permission, attempt.metaCode != nil || attempt.httpStatus != nil else { return nil }
        let code = attempt.metaCodeText.map { " (código \($0))" } ?? attempt.httpStatus.map { " (HTTP \($0))" } ?? ""
        let codeEN = attempt.metaCodeText.map { " (code \($0))" } ?? attempt.httpStatus.map { " (HTTP \($0))" } ?? ""
        switch (attempt.metaCode, attempt.metaSubcode) {
        case (190, 463):
            return InsightText("O token de acesso expirou\(code). Gere um novo em Gerenciador de Eventos → Configurações → API de Conversões; prefira um token de usuário do sistema, que não expira.",
                               en: "The access token expired\(codeEN). Generate a new one in Events Manager → Settings → Conversions API; prefer a system-user token, which does not expire.")
        case (190, 460), (190, 467), (190, 458), (190, 464):
            return InsightText("O token foi invalidado\(code) (senha trocada, sessão encerrada ou app removido). Gere um novo token e confira quem é o dono dele.",
                               en: "The token was invalidated\(codeEN) (password changed, logged out or app removed). Generate a new token and check who owns it.")
        case (190, _), (102, _):
            return InsightText("O Meta não aceita este token\(code): ele está incompleto, expirou ou foi revogado. Cole o token inteiro de novo ou gere um novo.",
                               en: "Meta does not accept this token\(codeEN): it is incomplete, expired or revoked. Paste the whole token again or generate a new one.")
        case (100, 33):
            return InsightText("Este token não tem acesso a este pixel, ou o ID do pixel está errado\(code). Copie o ID do conjunto de dados no Gerenciador de Eventos e atribua o pixel ao usuário do sistema.",
                               en: "This token cannot access this pixel, or the pixel id is wrong\(codeEN). Copy the dataset id from Events Manager and assign the pixel to the system user.")
        default:
            return InsightText("O token não tem permissão para enviar eventos a este pixel\(code). Conceda a permissão (ads_management / acesso ao pixel) e gere o token de novo.",
                               en: "The token has no permission to send events to this pixel\(codeEN). Grant the permission (ads_management / pixel access) and generate the token again.")
        }
    }
}
