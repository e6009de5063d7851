"""One sweep, in a real headless Chromium, over every field a user, a webhook, Meta or Telegram
controls, after the other console suites (same console, database and owner).

Each field carries its own attempt, `<img src=x onerror="window.__xss='FIELD'">`, so a page that
ran one says which. What a seller types goes in through the console's own forms (a new tenant's
name at setup step 1, the help chat's message, the ledger search, the privacy search, the
Telegram chat id at Alertas) and through `dispatchd console create-owner` (a user's display name);
what Meta controls comes from the fake Meta (the pixel's name Graph returns) or is stored as the
stores keep it (an ad's campaign name from the insights import, an error message, a fbtrace_id);
what a gateway's webhook controls is stored as dispatchd stores it (order id, product id, gateway
account, UTMs, page URL, referrer, an ignored webhook's reason, a dead letter's detail).

Then every page of the console is opened — each menu item for the tenant, the detail pages, the
SVG charts opened as documents — and on each the check is that no attempt ran. Each field must
also be shown somewhere as text (so the sweep cannot pass by hiding what it planted); the pages
each one was found on are printed. Screenshots under $ARTIFACTS. Ends with 'N passed, N failed'."""

import hashlib
import json
import os
import subprocess
import time

from selenium.webdriver.common.by import By

from console_test import (BIN, DB, PASSWORD, URL, browser, check, click, fill, login, no_horizontal_scroll, run_steps, shot, sql,
                          sql_value)
from console_test import fake_control

FIELDS = [
    # typed by a seller in the console
    "tenant_name", "user_name", "help_message", "ledger_query", "privacy_external_id", "alert_chat_id",
    # from Meta
    "pixel_name", "meta_message", "fbtrace_id",
    # from a gateway's webhook or a visitor's click
    "order_id", "gateway_account", "utm_campaign", "ignored_reason", "dead_letter_detail",
    # Meta's name of a campaign (Números), a sale's product and its click's link, UTMs and page (the Registro)
    "campaign_name", "product_id", "utm_source", "utm_content", "page_url",
]
# Stored with an attempt too, but shown by no page today: the day one is shown, move it up to
# FIELDS and the sweep must find it.
NOT_SHOWN = []
PIXEL = "8899001122334455"
TOKEN = "EAAB-xss-sweep-token-4c2d"
TRACE = "AxSs"
CLICK = "01JXSSSWEEPCLICK0000000000"


def attempt(field):
    return '<img src=x onerror="window.__xss=\'%s\'">' % field


def q(text):
    return "$q$" + text + "$q$"


def plant_through_forms(phone):
    """A new tenant named with an attempt at setup step 1, its pixel named with one by Graph."""
    fake_control({"pixels": {PIXEL: attempt("pixel_name")}, "expect_token": {PIXEL: hashlib.sha256(TOKEN.encode()).hexdigest()}})
    phone.get(URL + "/setup")
    fill(phone, "tenant_name", "Loja " + attempt("tenant_name"))
    fill(phone, "pixel_id", PIXEL)
    fill(phone, "token", TOKEN)
    click(phone, "[data-testid=pixel-submit]")
    tenant = sql_value("SELECT tenant_id FROM pixels WHERE id = '%s'" % PIXEL)
    check("xss: setup step 1 accepted the tenant and the pixel", tenant != "", tenant)
    env = dict(os.environ)
    owner = subprocess.run([os.path.join(BIN, "dispatchd"), "console", "create-owner", "--login", "xss", "--name", "Ana " + attempt("user_name")],
                           input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=60)
    check("xss: a user whose display name is an attempt", owner.returncode == 0, owner.stderr[-300:])
    return tenant


def plant_as_stored(tenant):
    """What webhooks, clicks and Meta leave in the stores, for that tenant: a click with UTMs, its
    page view, a matched approved sale with its Purchase sent (fbtrace_id) and refused once (Meta's
    message), a sale of another account, an ignored webhook, a dead letter, an ad's spend."""
    t = q(tenant)
    campaign = "120777000111"
    sql(f"INSERT INTO gateway_accounts (gateway, account, tenant_id) VALUES ('hotmart', {q(attempt('gateway_account'))}, {t})")
    # The documented convention: utm_campaign={{campaign.name}}|{{campaign.id}} (the id joins the spend).
    utm = json.dumps({"utm_source": attempt("utm_source"), "utm_medium": "paid",
                      "utm_campaign": "Black Friday " + attempt("utm_campaign") + "|" + campaign, "utm_content": attempt("utm_content")})
    sql(f"""INSERT INTO touchpoints (envelope_id, tenant_id, kind, click_id, link_slug, utm, page_url, referrer, occurred_at)
            VALUES ('e-xss-c', {t}, 'click', '01JXSSSWEEPCLICK0000000000', 'xss-sweep', {q(utm)}::jsonb, NULL, NULL, now() - interval '2 hours'),
                   ('e-xss-p', {t}, 'pageview', '01JXSSSWEEPCLICK0000000000', NULL, {q(utm)}::jsonb,
                    {q('https://loja.example/oferta?x=' + attempt('page_url'))}, {q('https://l.facebook.com/' + attempt('page_url'))},
                    now() - interval '119 minutes')""")
    order = "HPX-" + attempt("order_id")
    sql(f"""INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, product_ids, buyer, tracking, occurred_at, envelope_id)
            VALUES ('hotmart', {q(attempt('gateway_account'))}, {q(order)}, 'approved', {t}, 197.00, 'BRL', ARRAY[{q(attempt('product_id'))}],
                    '{{}}', '{{"sck": "01JXSSSWEEPCLICK0000000000"}}', now() - interval '100 minutes', 'e-xss-s')""")
    sql(f"""INSERT INTO matches (conversion_id, touchpoint_id, method, score)
            SELECT c.id, tp.id, 'click_id', 1 FROM conversions c, touchpoints tp
            WHERE c.envelope_id = 'e-xss-s' AND tp.envelope_id = 'e-xss-c'""")
    event_id = "hotmart." + order
    sql(f"""INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, http_status, meta_code, meta_message, outcome, created_at)
            SELECT {q(event_id)}, 'Purchase', '{PIXEL}', 'e-xss-s', id, 1, 500, 2, {q(attempt('meta_message'))}, 'retry_scheduled', now() - interval '99 minutes'
            FROM conversions WHERE envelope_id = 'e-xss-s'""")
    sql(f"""INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, http_status, fbtrace_id, outcome, created_at)
            SELECT {q(event_id)}, 'Purchase', '{PIXEL}', 'e-xss-s', id, 2, 200, {q(TRACE + attempt('fbtrace_id'))}, 'sent', now() - interval '98 minutes'
            FROM conversions WHERE envelope_id = 'e-xss-s'""")
    sql("INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, processed_at, outcome) "
        f"VALUES ('e-xss-w', 'hotmart', {q(attempt('gateway_account'))}, {t}, now(), 'v1.k1.eA', now(), {q('ignored: ' + attempt('ignored_reason'))})")
    event_time = int(time.time()) - 3600
    capi = json.dumps({"event_name": "Purchase", "event_time": event_time, "event_id": "hotmart.HPX-dead", "action_source": "website",
                       "user_data": {"fbp": "fb.1.1796000000000.9"}})
    dead = json.dumps({"pixel": PIXEL, "eventName": "Purchase", "eventID": "hotmart.HPX-dead", "envelopeID": "e-xss-d",
                       "eventTime": event_time, "attempts": 12, "eventJSON": capi})
    sql(f"""INSERT INTO dead_letters (envelope_id, reason, detail, payload, event_id, pixel_id)
            VALUES ('e-xss-d', 'retries_exhausted', {q(attempt('dead_letter_detail'))}, {q(dead)}, 'hotmart.HPX-dead', '{PIXEL}')""")
    sql(f"""INSERT INTO ad_spend (tenant_id, ad_account, day, level, object_id, campaign_id, campaign_name, currency, spend)
            VALUES ({t}, 'act_1', (now() AT TIME ZONE 'America/Sao_Paulo')::date, 'campaign', '{campaign}', '{campaign}',
                    {q(attempt('campaign_name'))}, 'BRL', 50.00)""")
    subprocess.run([os.path.join(BIN, "dispatchd"), "analytics", "backfill", "--tenant", tenant], check=True, capture_output=True)
    return order


SEEN = {field: [] for field in FIELDS}


def visit(driver, path, name):
    """Opens `path`; checks no attempt ran; notes which fields it shows as text."""
    driver.get(URL + path)
    look(driver, name)


def look(driver, name):
    ran = driver.execute_script("return window.__xss === undefined ? null : String(window.__xss)")
    check("xss: %s: no attempt ran" % name, ran is None, "ran: %s" % ran)
    # The page's text (folded <details> included; an attempt that became an element is not text)
    # and the values given back in its fields (an unescaped attribute would have run).
    shown = driver.execute_script(
        "return (document.body ? document.body.textContent : '') + '\\n' +"
        " Array.from(document.querySelectorAll('input, textarea')).map(e => e.value).join('\\n')")
    for field in FIELDS + NOT_SHOWN:
        if attempt(field) in shown:
            SEEN.setdefault(field, []).append(name)


def test_sweep(phone, desktop, tenant, order):
    from urllib.parse import quote
    T = quote(tenant)
    pages = [
        ("/", "início"), ("/?tenant=" + T, "início do tenant"), ("/setup?tenant=" + T, "configuração"),
        ("/numbers?tenant=" + T, "números"), ("/sales?tenant=" + T, "vendas"),
        ("/ledger?q=" + quote(order), "registro (pedido)"), ("/ledger?q=" + CLICK, "registro (clique)"), ("/failures", "fila de falhas"),
        ("/failures?reason=retries_exhausted", "fila de falhas (motivo)"), ("/webhooks/ignored", "webhooks ignorados"),
        ("/live", "ao vivo"), ("/alerts?tenant=" + T, "alertas"), ("/privacy?tenant=" + T, "privacidade"),
        ("/settings/versions?tenant=" + T, "versões"), ("/help", "ajuda"),
    ]
    for path, name in pages:
        visit(desktop, path, name)
    # The event page, from the ledger's own link.
    desktop.get(URL + "/ledger?q=" + quote(order))
    links = [a.get_attribute("href") for a in desktop.find_elements(By.CSS_SELECTOR, "a[href*='/ledger/event']")]
    check("xss: the ledger links the sale's event", len(links) > 0, str(links))
    if links:
        desktop.get(links[0])
        look(desktop, "página do evento")
        shot(desktop, "60-xss-event-desktop")
    # A version's diff, from the history's own link.
    desktop.get(URL + "/settings/versions?tenant=" + T)
    diffs = [a.get_attribute("href") for a in desktop.find_elements(By.CSS_SELECTOR, "[data-testid=versions] li a")]
    if diffs:
        desktop.get(diffs[0])
        look(desktop, "diferenças da versão")
    # The charts, opened as documents (an SVG opened directly would run a script it carried).
    for chart in ("revenue", "funnel", "match"):
        visit(desktop, "/numbers/chart/%s.svg?tenant=%s" % (chart, T), "gráfico " + chart)
    visit(desktop, "/numbers?tenant=%s&days=7" % T, "números 7 dias")
    shot(desktop, "61-xss-numbers-desktop")

    # What a seller types, through the forms.
    phone.get(URL + "/help")
    fill(phone, "message", attempt("help_message"))
    click(phone, "[data-testid=help-send]")
    look(phone, "ajuda (mensagem)")
    shot(phone, "62-xss-help-390")
    visit(phone, "/ledger?q=" + quote(attempt("ledger_query")), "registro (busca)")
    phone.get(URL + "/privacy?tenant=" + T)
    fill(phone, "external_id", attempt("privacy_external_id"))
    click(phone, "[data-testid=privacy-search]")
    look(phone, "privacidade (busca)")
    phone.get(URL + "/alerts?tenant=" + T)
    fill(phone, "chat_id", attempt("alert_chat_id"))
    fill(phone, "token", "7300000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    click(phone, "[data-testid=alerts-save]")
    look(phone, "alertas (chat)")
    shot(phone, "63-xss-alerts-390")

    phone.delete_all_cookies()
    login(phone, "xss", PASSWORD)
    visit(phone, "/", "início (usuário xss)")
    shot(phone, "64-xss-user-390")
    # A help request from this user: its name and message on the case pages an owner reads.
    phone.get(URL + "/help")
    fill(phone, "message", attempt("help_message"))
    click(phone, "[data-testid=help-send]")
    click(phone, "[data-testid=help-support]")
    look(phone, "ajuda (pedido aberto)")
    visit(phone, "/help/cases", "pedidos de ajuda")
    phone.find_element(By.CSS_SELECTOR, "[data-testid=cases] a").click()
    look(phone, "pedido de ajuda")
    check("xss: the help request's page has no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "65-xss-help-case-390")

    for field in FIELDS:
        check("xss: %s is shown as text somewhere" % field, len(SEEN[field]) > 0, "never shown")
    print("where each attempt was shown as text:")
    for field in FIELDS + NOT_SHOWN:
        print("  %-20s %s" % (field, ", ".join(sorted(set(SEEN.get(field, [])))) or "- (not shown by any page)"))


def main():
    phone, desktop = browser(390, 844), browser(1280, 900)
    state = {}

    def prepare():
        login(phone, "dona", PASSWORD)
        login(desktop, "dona", PASSWORD)
        state["tenant"] = plant_through_forms(phone)
        state["order"] = plant_as_stored(state["tenant"])

    return run_steps(phone, desktop, prepare, [("sweep", lambda: test_sweep(phone, desktop, state["tenant"], state["order"]))],
                     "error-xss")


if __name__ == "__main__":
    import sys
    sys.exit(main())
