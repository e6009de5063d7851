extension Migrations {
    /// Version 16 (issue 18, item 4): each tenant's consent policy for sales
    /// (``SaleConsentPolicy``), written by `dispatchd apply` from `tenants[].sale_consent`.
    /// Existing tenants get `honor_decline`: their sales keep reaching Meta unless a signal says
    /// the buyer declined — what they did before, now with the decline honoured.
    public static let saleConsent = Migration(
        version: 16,
        name: "sale_consent",
        sql: """
            ALTER TABLE tenants ADD COLUMN sale_consent text NOT NULL DEFAULT 'honor_decline'
                CHECK (sale_consent IN ('honor_decline', 'require_grant'));
            COMMENT ON COLUMN tenants.sale_consent IS 'honor_decline: sales sent unless a signal says declined; require_grant: only with th_consent=1';
            """
    )
}
