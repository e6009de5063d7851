"""The configuration the fault suite applies with `dispatchd apply`: two tenants, two live
pixels pointed at the fake Meta, links to each destination kind the load uses, and one gateway
account per gateway (Kiwify twice: one per tenant, so sales reach both pixels).

Secrets never appear here: the YAML names environment variables, which `secrets()` fills."""
import secrets as _secrets

PIXEL_A = "101000000001"
PIXEL_B = "202000000002"
TENANT_A = "shop"
TENANT_B = "other"
ORIGIN_A = "https://lp.shop.example"
ORIGIN_B = "https://lp.other.example"
SLUG_A = "ad-a"          # hotmart checkout, pixel A
SLUG_K = "ad-k"          # kiwify checkout, pixel A
SLUG_B = "ad-b"          # generic page, pixel B
SLUG_T = "ad-t"          # telegram bot, pixel B

# (gateway, account) -> (env var of the secret, pixel the Purchase goes to)
ACCOUNTS = {
    ("hotmart", "main"): ("FAULTS_HOTMART_SECRET", PIXEL_A),
    ("kiwify", "main"): ("FAULTS_KIWIFY_SECRET", PIXEL_A),
    ("eduzz", "main"): ("FAULTS_EDUZZ_SECRET", PIXEL_A),
    ("monetizze", "main"): ("FAULTS_MONETIZZE_SECRET", PIXEL_A),
    ("stripe", "main"): ("FAULTS_STRIPE_SECRET", PIXEL_A),
    ("mercadopago", "main"): ("FAULTS_MERCADOPAGO_SECRET", PIXEL_A),
    ("kiwify", "other"): ("FAULTS_KIWIFY_OTHER_SECRET", PIXEL_B),
}
TOKEN_ENV_A = "FAULTS_PIXEL_TOKEN_A"
TOKEN_ENV_B = "FAULTS_PIXEL_TOKEN_B"
MP_TOKEN_ENV = "FAULTS_MERCADOPAGO_API_TOKEN"

# Destinations; hostile-redirect checks assert every Location starts with one of these.
DESTINATIONS = {
    SLUG_A: "https://pay.hotmart.com/X1234?off=a1",
    SLUG_K: "https://pay.kiwify.com.br/AbC123",
    SLUG_B: "https://lp.other.example/offer",
    SLUG_T: "https://t.me/",
}


def secrets(canary_token):
    """Fresh secret values for one run. Pixel A's access token is the canary token (it must
    never appear in clear in logs, Redis or Postgres); the rest are random."""
    values = {env: "fx-" + _secrets.token_hex(12) for env, _ in ACCOUNTS.values()}
    values["FAULTS_STRIPE_SECRET"] = "whsec_" + _secrets.token_hex(12)
    values[TOKEN_ENV_A] = canary_token
    values[TOKEN_ENV_B] = "EAAB" + _secrets.token_hex(16)
    values[MP_TOKEN_ENV] = "APP_USR-" + _secrets.token_hex(16)
    return values


def account_secret(values, gateway, account="main"):
    return values[ACCOUNTS[(gateway, account)][0]]


def yaml(batch_size=200):
    def accounts(tenant_pixel):
        out = []
        for (gateway, account), (env, pixel) in ACCOUNTS.items():
            if pixel != tenant_pixel:
                continue
            out.append("      - gateway: %s\n        account: %s\n        secret_env: %s" % (gateway, account, env))
            if gateway == "mercadopago":
                out.append("        api_token_env: %s" % MP_TOKEN_ENV)
        return "\n".join(out)

    return """tenants:
  - id: %(ta)s
    name: Shop (fault suite)
    default_country_code: "55"
    default_country: br
    allowed_origins: ["%(oa)s"]
    pixels:
      - id: "%(pa)s"
        token_env: %(tea)s
        mode: live
        send_click_as_pageview: true
        batch_size: %(bs)d
        max_events_per_second: 2000
        default: true
    links:
      - slug: %(sa)s
        destination: {type: hotmart, url: "%(da)s", also_src: true}
      - slug: %(sk)s
        destination: {type: kiwify, url: "%(dk)s"}
    gateway_accounts:
%(acc_a)s
  - id: %(tb)s
    name: Other (fault suite)
    default_country_code: "55"
    default_country: br
    allowed_origins: ["%(ob)s"]
    pixels:
      - id: "%(pb)s"
        token_env: %(teb)s
        mode: live
        send_click_as_pageview: true
        batch_size: %(bs)d
        max_events_per_second: 2000
        default: true
    links:
      - slug: %(sb)s
        destination: {type: generic, url: "%(db)s", parameter: cid}
      - slug: %(st)s
        destination:
          type: telegram
          bots: [{username: other_sales_bot, weight: 1}]
    gateway_accounts:
%(acc_b)s
""" % {"ta": TENANT_A, "tb": TENANT_B, "oa": ORIGIN_A, "ob": ORIGIN_B, "pa": PIXEL_A, "pb": PIXEL_B,
       "tea": TOKEN_ENV_A, "teb": TOKEN_ENV_B, "bs": batch_size, "sa": SLUG_A, "sk": SLUG_K, "sb": SLUG_B,
       "st": SLUG_T, "da": DESTINATIONS[SLUG_A], "dk": DESTINATIONS[SLUG_K], "db": DESTINATIONS[SLUG_B],
       "acc_a": accounts(PIXEL_A), "acc_b": accounts(PIXEL_B)}
