// Generated from Debian iso-codes 4.15.0-1 (ISO 3166-2) by the script in docs/NORMALIZATION.md
// ("Regenerating the tables"). Do not edit by hand.

/// First-level subdivisions whose 2-letter codes Meta expects in `st`: `code|folded name` per line.
enum MetaRegionTable {
    /// The 26 Brazilian states and the Federal District (UF codes).
    static let brazil = """
        ac|acre
        al|alagoas
        am|amazonas
        ap|amapa
        ba|bahia
        ce|ceara
        df|distritofederal
        es|espiritosanto
        go|goias
        ma|maranhao
        mg|minasgerais
        ms|matogrossodosul
        mt|matogrosso
        pa|para
        pb|paraiba
        pe|pernambuco
        pi|piaui
        pr|parana
        rj|riodejaneiro
        rn|riograndedonorte
        ro|rondonia
        rr|roraima
        rs|riograndedosul
        sc|santacatarina
        se|sergipe
        sp|saopaulo
        to|tocantins
        """
    /// US states, DC and outlying areas (USPS/ANSI codes, as Meta documents for `st`).
    static let unitedStates = """
        ak|alaska
        al|alabama
        ar|arkansas
        as|americansamoa
        az|arizona
        ca|california
        co|colorado
        ct|connecticut
        dc|districtofcolumbia
        de|delaware
        fl|florida
        ga|georgia
        gu|guam
        hi|hawaii
        ia|iowa
        id|idaho
        il|illinois
        in|indiana
        ks|kansas
        ky|kentucky
        la|louisiana
        ma|massachusetts
        md|maryland
        me|maine
        mi|michigan
        mn|minnesota
        mo|missouri
        mp|northernmarianaislands
        ms|mississippi
        mt|montana
        nc|northcarolina
        nd|northdakota
        ne|nebraska
        nh|newhampshire
        nj|newjersey
        nm|newmexico
        nv|nevada
        ny|newyork
        oh|ohio
        ok|oklahoma
        or|oregon
        pa|pennsylvania
        pr|puertorico
        ri|rhodeisland
        sc|southcarolina
        sd|southdakota
        tn|tennessee
        tx|texas
        um|unitedstatesminoroutlyingislands
        ut|utah
        va|virginia
        vi|virginislandsus
        vt|vermont
        wa|washington
        wi|wisconsin
        wv|westvirginia
        wy|wyoming
        """
}
