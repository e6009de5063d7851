/// The two pixel changes the console makes — from the setup assistant and from the help chat's
/// "apply" — as pure edits of a document, so both write the same configuration and each is
/// unit-tested without a database.
extension TenantConfigDocument {
    /// Keeps `token` sealed as the pixel's token (``pixelTokenVariable(_:)``, named by
    /// `token_env`). A pixel the document does not have yet is added in `dry_run`, and is the
    /// tenant's default pixel when it is the first.
    public mutating func setPixelToken(_ pixelID: String, token: String, keys: KeyRing) throws {
        let variable = Self.pixelTokenVariable(pixelID)
        try setSecret(variable, token, keys: keys)
        if let index = tenant.pixels.firstIndex(where: { $0.id == pixelID }) {
            tenant.pixels[index].tokenEnv = variable
            tenant.pixels[index].tokenFile = nil
        } else {
            let first = tenant.pixels.isEmpty
            tenant.pixels.append(TrackhubConfigFile.Pixel(id: pixelID, tokenEnv: variable, mode: PixelMode.dryRun.rawValue,
                                                          isDefault: first ? true : nil))
        }
    }

    /// Switches the pixel to `live` and drops its test event code (a live pixel sends none; the
    /// previous version keeps it for a rollback). Returns the mode it had, or nil when the
    /// document has no such pixel or it is live already (nothing changed).
    public mutating func switchPixelToLive(_ pixelID: String) -> String? {
        guard let index = tenant.pixels.firstIndex(where: { $0.id == pixelID }) else { return nil }
        let before = tenant.pixels[index].mode ?? PixelMode.dryRun.rawValue
        guard before != PixelMode.live.rawValue else { return nil }
        tenant.pixels[index].mode = PixelMode.live.rawValue
        tenant.pixels[index].testEventCode = nil
        return before
    }
}
