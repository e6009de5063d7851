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
BOT = "other_sales_bot"  # the bot SLUG_T sends people to; its updates reach /webhooks/telegram/BOT
BOT_SECRET_ENV = "FAULTS_TELEGRAM_SECRET"   # the webhook's secret token (X-Telegram-Bot-Api-Secret-Token)

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
    values[BOT_SECRET_ENV] = _secrets.token_hex(24)   # Telegram allows A-Z a-z 0-9 _ - only
    return values


def account_secret(values, gateway, account="main"):
    return values[ACCOUNTS[(gateway, account)][0]]


TENANT = """  - id: %(tenant)s
    name: %(tenant)s (fault suite)
    default_country_code: "55"
    default_country: br
    allowed_origins: ["%(origin)s"]
    pixels:
      - id: "%(pixel)s"
        token_env: %(token_env)s
        mode: live
        send_click_as_pageview: true
        batch_size: %(batch_size)d
        max_events_per_second: 2000
        default: true
    links:
%(links)s
    gateway_accounts:
%(accounts)s
"""

LINKS = {
    PIXEL_A: """      - slug: %s
        destination: {type: hotmart, url: "%s", also_src: true}
      - slug: %s
        destination: {type: kiwify, url: "%s"}""" % (SLUG_A, DESTINATIONS[SLUG_A], SLUG_K, DESTINATIONS[SLUG_K]),
    PIXEL_B: """      - slug: %s
        destination: {type: generic, url: "%s", parameter: cid}
      - slug: %s
        destination:
          type: telegram
          bots: [{username: %s, weight: 1}]""" % (SLUG_B, DESTINATIONS[SLUG_B], SLUG_T, BOT),
}

# The bot's account (tenant B): a /start <click id> becomes a ViewContent on pixel B; with a
# forward_url (scenario 14) every update is also relayed to the seller's backend there.
BOT_ACCOUNT = """      - gateway: telegram
        account: %s
        secret_env: %s
        settings: {event: ViewContent%%s}""" % (BOT, BOT_SECRET_ENV)


def yaml(batch_size=200, forward_url=None):
    def accounts(tenant_pixel):
        out = []
        for (gateway, account), (env, pixel) in ACCOUNTS.items():
            if pixel != tenant_pixel:
                continue
            out.append("      - gateway: %s\n        account: %s\n        secret_env: %s" % (gateway, account, env))
            if gateway == "mercadopago":
                out.append("        api_token_env: %s" % MP_TOKEN_ENV)
        if tenant_pixel == PIXEL_B:
            out.append(BOT_ACCOUNT % (", forward_url: \"%s\"" % forward_url if forward_url else ""))
        return "\n".join(out)

    return "tenants:\n" + "".join(TENANT % {
        "tenant": tenant, "origin": origin, "pixel": pixel, "token_env": token_env, "batch_size": batch_size,
        "links": LINKS[pixel], "accounts": accounts(pixel)}
        for tenant, origin, pixel, token_env in [(TENANT_A, ORIGIN_A, PIXEL_A, TOKEN_ENV_A), (TENANT_B, ORIGIN_B, PIXEL_B, TOKEN_ENV_B)])
