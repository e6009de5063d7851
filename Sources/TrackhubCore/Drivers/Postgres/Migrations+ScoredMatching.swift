extension Migrations {
    /// Version 3: the look-up behind scored matching (docs/MATCHING.md): a tenant's clicks in the
    /// buyer's network within the attribution window. `ip <<= network` uses this btree index
    /// (Postgres turns the containment into a range), so a sale does not scan a week of clicks.
    public static let scoredMatching = Migration(
        version: 3,
        name: "scored_matching",
        sql: """
            CREATE INDEX touchpoints_click_tenant_ip_idx ON touchpoints (tenant_id, ip, occurred_at)
                WHERE kind = 'click' AND ip IS NOT NULL;
            """
    )
}
