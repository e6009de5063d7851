"""Registro, Fila de falhas, Vendas, Números, Alertas, Webhooks ignorados, Ao vivo and Ajuda in a real headless Chromium,
after console_test.py (same console, database and owner): search the ledger by order id and by
e-mail and open the event's timeline, replay a dead letter through its confirmation, diagnose a
planted unmatched sale in the chat, watch the live status arrive over SSE, and check that
webhook- and Meta-controlled text is shown escaped — at 390 px and desktop, with screenshots.
Ends with the line 'N passed, N failed'."""

import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from console_test import (BIN, DB, PASSWORD, URL, browser, check, click, login, no_horizontal_scroll, run_steps, shot, sql)

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
EMAIL = "comprador.insight@example.com"
XSS_ORDER = '<img src=x onerror="window.__xss=3">HPS-4'


def q(text):
    return "$q$" + text + "$q$"


def plant():
    """Tenant loja-i (pixel 7777): a click; sale HPI-1 matched to it and sent after a retry whose
    Meta message is an XSS attempt; sale HPI-2 that carried 'fb-ads-insight' and matched nothing;
    one replayable dead letter; an ignored webhook whose reason is an XSS attempt."""
    em = hashlib.sha256(EMAIL.encode()).hexdigest()
    sql("INSERT INTO tenants (id, name) VALUES ('loja-i', 'Loja I')")
    sql("INSERT INTO pixels (id, tenant_id, mode, access_token_ciphertext, access_token_key_id) VALUES ('7777', 'loja-i', 'live', 'v1.k1.eA', 'k1')")
    sql("INSERT INTO gateway_accounts (gateway, account, tenant_id) VALUES ('hotmart', 'i', 'loja-i')")
    sql("""INSERT INTO touchpoints (envelope_id, tenant_id, kind, click_id, link_slug, utm, occurred_at)
           VALUES ('e-ci', 'loja-i', 'click', '01JINSIGHTCLICK00000000000', 'black-friday',
                   '{"utm_source": "FB", "utm_campaign": "Black Friday|120210"}', now() - interval '1 hour')""")
    sql(f"""INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, product_ids, buyer, tracking, occurred_at, envelope_id)
            VALUES ('hotmart', 'i', 'HPI-1', 'approved', 'loja-i', 297.00, 'BRL', ARRAY['CURSO-1'], '{{"em": ["{em}"]}}',
                    '{{"sck": "01JINSIGHTCLICK00000000000", "metadata": {{}}}}', now() - interval '50 minutes', 'e-HPI-1'),
                   ('hotmart', 'i', 'HPI-2', 'approved', 'loja-i', 97.00, 'BRL', '{{}}', '{{}}',
                    '{{"sck": "fb-ads-insight", "metadata": {{}}}}', now() - interval '20 minutes', 'e-HPI-2')""")
    sql("""INSERT INTO matches (conversion_id, touchpoint_id, method, score)
           SELECT c.id, t.id, 'click_id', 1 FROM conversions c, touchpoints t WHERE c.transaction_id = 'HPI-1' AND t.click_id = '01JINSIGHTCLICK00000000000'""")
    payload = json.dumps({"event_name": "Purchase", "event_id": "hotmart.HPI-1", "action_source": "website"})
    sql(f"""INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, http_status, meta_code, meta_message, outcome, payload, created_at)
            SELECT 'hotmart.HPI-1', 'Purchase', '7777', 'e-HPI-1', id, 1, 500, 2, {q(XSS)}, 'retry_scheduled', {q(payload)}::jsonb, now() - interval '49 minutes'
            FROM conversions WHERE transaction_id = 'HPI-1'""")
    sql(f"""INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, http_status, fbtrace_id, outcome, payload, created_at)
            SELECT 'hotmart.HPI-1', 'Purchase', '7777', 'e-HPI-1', id, 2, 200, 'TraceInsight1', 'sent', {q(payload)}::jsonb, now() - interval '48 minutes'
            FROM conversions WHERE transaction_id = 'HPI-1'""")
    event_time = int(time.time()) - 3600
    capi = json.dumps({"event_name": "Purchase", "event_time": event_time, "event_id": "hotmart.HPI-9", "action_source": "website",
                       "event_source_url": "https://loja-i.example/", "user_data": {"fbp": "fb.1.1796000000000.9"}})
    dead = json.dumps({"pixel": "7777", "eventName": "Purchase", "eventID": "hotmart.HPI-9", "envelopeID": "e-HPI-9",
                       "eventTime": event_time, "attempts": 12, "eventJSON": capi})
    sql(f"""INSERT INTO dead_letters (envelope_id, reason, detail, payload, event_id, pixel_id)
            VALUES ('e-HPI-9', 'retries_exhausted', 'timeout after 12 attempts', {q(dead)}, 'hotmart.HPI-9', '7777')""")
    sql("INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, processed_at, outcome) "
        f"VALUES ('e-w1', 'hotmart', 'i', 'loja-i', now(), 'v1.k1.eA', now(), {q('ignored: event ' + XSS + ' is not sent')})")


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def no_xss(driver, page):
    check(page + ": injected text never runs", driver.execute_script("return window.__xss === undefined"))


def test_ledger(phone, desktop):
    phone.get(URL + "/ledger")
    shot(phone, "20-ledger-empty-390")
    field = phone.find_element(By.CSS_SELECTOR, "[data-testid=ledger-q]")
    field.send_keys("HPI-1")
    click(phone, "[data-testid=ledger-search]")
    body = text(phone)
    check("ledger: the order is found with its Purchase sent", "HPI-1" in body and "Enviado ao Meta" in body, body[:300])
    check("ledger: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "21-ledger-order-390")
    click(phone, "[data-testid=ledger-event-link]")
    body = text(phone)
    check("event page: both attempts with Meta's answer", "Tentativa 1" in body and "Tentativa 2" in body and "TraceInsight1" in body, body[:400])
    check("event page: Meta's message shown as text", "<script>window.__xss=1</script>" in body)
    origin = phone.find_element(By.CSS_SELECTOR, "[data-testid=event-origin]").text
    check("event page: the click that brought the sale, with its link and the ad's UTMs",
          "Clique que trouxe a venda" in origin and "/go/black-friday" in origin and "utm_campaign=Black Friday|120210" in origin, origin)
    check("event page: the sale's product", "Produtos: CURSO-1" in body, body[:500])
    no_xss(phone, "event page")
    check("event page: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "22-ledger-event-390")

    desktop.get(URL + "/ledger?q=" + EMAIL.replace("@", "%40").upper())
    body = text(desktop)
    check("ledger: the buyer's e-mail (any case) finds the sale", "HPI-1" in body and "e-mail do comprador" in body, body[:300])
    shot(desktop, "23-ledger-email-desktop")
    click(desktop, "[data-testid=ledger-event-link]")
    shot(desktop, "24-ledger-event-desktop")


def test_replay(phone, desktop):
    desktop.get(URL + "/failures")
    check("failure queue: grouped by reason in words", "Tentativas esgotadas" in text(desktop) and "retries_exhausted" not in text(desktop) and "Reenviar este grupo" in text(desktop))
    shot(desktop, "25-failures-desktop")
    labels = [a.text for a in desktop.find_elements(By.CSS_SELECTOR, "[data-testid=failure-reason]")]
    check("failure groups are named in pt-BR, not by reason code",
          labels and not any("_" in label for label in labels) and "Tentativas esgotadas" in labels, str(labels))
    phone.get(URL + "/failures")
    shot(phone, "26-failures-390")
    check("failure queue: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    click(phone, "[data-testid=replay-reason]")
    summary = phone.find_element(By.CSS_SELECTOR, "[data-testid=replay-summary]").text
    check("replay asks for confirmation first", "serão reenviados" in summary, summary)
    shot(phone, "27-replay-confirm-390")
    click(phone, "[data-testid=replay-confirm]")
    result = phone.find_element(By.CSS_SELECTOR, "[data-testid=replay-result]").text
    check("the confirmed replay sends the dead letter back", "1 item(ns) reenviado(s)" in result, result)
    shot(phone, "28-replay-result-390")


def test_help(phone, desktop):
    phone.get(URL + "/help")
    shot(phone, "29-help-390")
    click(phone, "[data-testid=help-topic-sale_not_matched]")
    answer = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-answer]").text
    check("chat: the planted unmatched sale is named with what it carried", "HPI-2" in answer and "fb-ads-insight" in answer, answer[:400])
    check("chat: a fix is proposed", len(phone.find_elements(By.CSS_SELECTOR, "[data-testid=help-fix]")) > 0)
    check("chat: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "30-help-unmatched-390")
    desktop.get(URL + "/help")
    desktop.find_element(By.CSS_SELECTOR, "[data-testid=help-message]").send_keys("minhas vendas não aparecem no Meta")
    click(desktop, "[data-testid=help-send]")
    answer = desktop.find_element(By.CSS_SELECTOR, "[data-testid=help-answer]").text
    check("chat: a described problem gets an answer with evidence", "venda" in answer.lower(), answer[:300])
    shot(desktop, "31-help-sales-desktop")

    # Back on Ajuda later, the conversation is there; then a person is asked for.
    phone.get(URL + "/help")
    history = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-history]").text
    check("chat: the earlier conversation is shown on return", "minhas vendas não aparecem no Meta" in history, history[:300])
    click(phone, "[data-testid=help-support]")
    opened = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-case-opened]").text
    check("chat: asking for a person opens a numbered case and says where it went",
          "Pedido de ajuda nº 1 aberto" in opened and "ficou salvo no console" in opened, opened[:300])
    check("chat: the case's diagnostic file is offered", len(phone.find_elements(By.CSS_SELECTOR, "[data-testid=help-case-bundle]")) == 1)
    cases = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-cases]").text
    check("chat: the owner is told a request is open", "1 pedido(s) de ajuda em aberto" in cases, cases)
    shot(phone, "31b-help-case-opened-390")
    desktop.get(URL + "/")
    waiting = desktop.find_element(By.CSS_SELECTOR, "[data-testid=home-help-requests]").text
    check("início: an owner is told first that a request waits for a person", "1 pedido(s) de ajuda esperando uma pessoa" in waiting, waiting)
    click(desktop, "[data-testid=home-help-requests] a")
    click(desktop, "[data-testid=cases] a")
    case = desktop.find_element(By.CSS_SELECTOR, "[data-testid=case-conversation]").text
    check("support case: the owner reads the conversation that led to it", "minhas vendas não aparecem no Meta" in case, case[:300])
    shot(desktop, "31c-help-case-desktop")
    click(desktop, "[data-testid=case-close]")
    check("support case: closed by the owner", "resolvido" in desktop.find_element(By.CSS_SELECTOR, "[data-testid=case-status]").text)


def plant_sales():
    """Two more sales of loja-i for Vendas: HPS-3 parked until the pixel gets a new token, and one
    whose order id is an XSS attempt, declined by the buyer (consent)."""
    payload = json.dumps({"event_name": "Purchase", "action_source": "website"})
    for order, outcome in (("HPS-3", "parked"), (XSS_ORDER, "consent_blocked")):
        sql(f"""INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, buyer, tracking, occurred_at, envelope_id)
                VALUES ('hotmart', 'i', {q(order)}, 'approved', 'loja-i', 47.00, 'BRL', '{{}}', '{{"metadata": {{}}}}', now() - interval '5 minutes',
                        {q('e-' + order)})""")
        sql(f"""INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, envelope_id, conversion_id, attempt, outcome, payload, created_at)
                SELECT {q('hotmart.' + order)}, 'Purchase', '7777', {q('e-' + order)}, id, 1, '{outcome}', {q(payload)}::jsonb, now() - interval '4 minutes'
                FROM conversions WHERE transaction_id = {q(order)}""")


def test_sales(phone, desktop):
    plant_sales()
    desktop.get(URL + "/sales?tenant=loja-i")
    tiles = {t: desktop.find_element(By.CSS_SELECTOR, f"[data-testid={t}] .tile-value").text for t in ("sales-received", "sales-sent", "sales-not-sent")}
    check("vendas: received = sent + not sent (4 = 1 + 3)", tiles == {"sales-received": "4", "sales-sent": "1", "sales-not-sent": "3"}, str(tiles))
    listing = desktop.find_element(By.CSS_SELECTOR, "[data-testid=sales-not-sent-list]").text
    check("vendas: each sale not sent with its reason in words",
          "aguardando novo token do pixel" in listing and "comprador recusou rastreamento" in listing and "parked" not in listing, listing[:400])
    check("vendas: an order id from a webhook is shown as text", XSS_ORDER in listing, listing[:400])
    no_xss(desktop, "vendas")
    token = [a.get_attribute("href") for a in desktop.find_elements(By.LINK_TEXT, "trocar o token")]
    check("vendas: the parked sale offers 'trocar o token'", len(token) == 1 and token[0].endswith("/setup"), str(token))
    ledger = [a.get_attribute("href") for a in desktop.find_elements(By.PARTIAL_LINK_TEXT, "HPS-3")]
    check("vendas: the order links to its ledger search", ledger and "/ledger?q=HPS-3" in ledger[0], str(ledger))
    shot(desktop, "35-sales-desktop")
    phone.get(URL + "/sales?tenant=loja-i")
    check("vendas: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "36-sales-390")
    click(phone, "[data-testid=sales-previous]")
    check("vendas: the day before has no sale", "Nenhuma venda recebida neste dia." in text(phone), text(phone)[:300])
    phone.get(URL + "/sales?tenant=loja-i&day=2026-02-30")
    check("vendas: an impossible day is said, and today shown", "Não entendi esse dia" in text(phone))


def test_numbers(phone, desktop):
    """Números over the rollups that `dispatchd analytics backfill` rebuilds from the planted raw
    rows: the period total is the four approved sales (R$ 297 + 97 + 47 + 47), the campaign
    table names the missing utm_campaign in words, the SVG charts load as images, and the
    period picker reloads the page."""
    subprocess.run([os.path.join(BIN, "dispatchd"), "analytics", "backfill", "--tenant", "loja-i"], check=True, capture_output=True)
    desktop.get(URL + "/numbers?tenant=loja-i")
    campaigns = desktop.find_element(By.CSS_SELECTOR, "[data-testid=numbers-campaigns]").text
    check("números: the period's revenue and sales from the rollups", "R$ 488,00" in campaigns and "4 vendas aprovadas" in campaigns, campaigns[:300])
    check("números: a sale without utm_campaign is '(sem campanha)'", "(sem campanha)" in campaigns, campaigns[:300])
    charts = desktop.find_elements(By.CSS_SELECTOR, "img.chart")
    loaded = [desktop.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", c) for c in charts]
    check("números: every SVG chart loads as an image", len(charts) >= 2 and all(loaded), str(loaded))
    shot(desktop, "37-numbers-desktop")
    phone.get(URL + "/numbers?tenant=loja-i")
    check("números: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "38-numbers-390")
    Select(phone.find_element(By.CSS_SELECTOR, "[data-testid=numbers-days]")).select_by_value("30")
    deadline = time.time() + 10
    while time.time() < deadline and "days=30" not in phone.current_url:
        time.sleep(0.1)
    check("números: picking 30 days reloads the page for that period", "days=30" in phone.current_url, phone.current_url)


ALERT_BOT = "alertas_loja_bot"
ALERT_TOKEN = "7300000099:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
FAKE_TELEGRAM = os.environ["FAKE_TELEGRAM_URL"]


def telegram(action, body=None):
    """The fake Telegram's control API (`/_telegram/...`): POST with a body, GET without."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(FAKE_TELEGRAM + "/_telegram/" + action, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=5).read() or b"{}")


def plant_alert():
    """An open dead-letter alert of loja-i whose reason is an XSS attempt, and its notice whose
    Telegram delivery failed."""
    key = "dead_letters|loja-i|" + XSS
    vals = json.dumps({"count": "2", "reason": XSS})
    sql(f"""INSERT INTO alert_state (alert_key, rule, tenant_id, subject, vals, first_seen_at, last_notified_at, notifications)
            VALUES ({q(key)}, 'dead_letters', 'loja-i', {q(XSS)}, {q(vals)}::jsonb, now() - interval '12 minutes', now() - interval '12 minutes', 1)""")
    sql(f"""INSERT INTO alert_history (alert_key, rule, tenant_id, subject, kind, sequence, vals, first_seen_at)
            VALUES ({q(key)}, 'dead_letters', 'loja-i', {q(XSS)}, 'fired', 1, {q(vals)}::jsonb, now() - interval '12 minutes')""")
    sql("INSERT INTO alert_deliveries (history_id, channel, state) SELECT max(id), 'telegram', 'failed' FROM alert_history")


def test_alerts(phone, desktop):
    plant_alert()
    telegram("bots", {"username": ALERT_BOT, "token": ALERT_TOKEN})
    telegram("chats", {"bot": ALERT_BOT, "chat_id": -100555})
    phone.get(URL + "/alerts?tenant=loja-i")
    opened = phone.find_element(By.CSS_SELECTOR, "[data-testid=alerts-open]").text
    check("alertas: the open alert, its reason shown as text", "Eventos na fila de falhas" in opened and XSS in opened, opened[:300])
    history = phone.find_element(By.CSS_SELECTOR, "[data-testid=alerts-history]").text
    check("alertas: a notice with its delivery in words", "telegram: falhou" in history, history[:300])
    no_xss(phone, "alertas")

    def save(chat):
        field = phone.find_element(By.CSS_SELECTOR, "[data-testid=alerts-chat-id]")
        field.clear()
        field.send_keys(chat)
        phone.find_element(By.CSS_SELECTOR, "[data-testid=alerts-token]").send_keys(ALERT_TOKEN)
        click(phone, "[data-testid=alerts-save]")
        return phone.find_element(By.CSS_SELECTOR, "[data-testid=alerts-notice]").text

    refused = save("-100999")
    check("alertas: a chat the bot is not in is refused, with what to do", "adicione o bot ao grupo" in refused, refused)
    check("alertas: the typed chat id is kept, the token never shown",
          phone.find_element(By.CSS_SELECTOR, "[data-testid=alerts-chat-id]").get_attribute("value") == "-100999"
          and ALERT_TOKEN.split(":")[1] not in phone.page_source)
    shot(phone, "39-alerts-refused-390")
    saved = save("-100555")
    check("alertas: saved only after Telegram delivered the test message", "chegou no chat -100555" in saved, saved)
    messages = telegram("messages?bot=" + ALERT_BOT)["messages"]
    check("alertas: the chat got the test message naming the client",
          len(messages) == 1 and str(messages[0]["chat_id"]) == "-100555" and "Loja I" in messages[0]["text"], str(messages)[:300])
    stored = subprocess.run(["psql", DB, "-Atc", "SELECT chat_id || '|' || bot_token_ciphertext FROM alert_telegram_chats WHERE scope = 'loja-i'"],
                            check=True, capture_output=True, text=True).stdout.strip()
    check("alertas: the chat is stored, its token sealed", stored.startswith("-100555|") and ALERT_TOKEN.split(":")[1] not in stored, stored[:40])
    check("alertas: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "40-alerts-saved-390")
    desktop.get(URL + "/alerts?tenant=loja-i")
    shot(desktop, "41-alerts-desktop")
    click(desktop, "[data-testid=alerts-remove]")
    check("alertas: stopping is one click and said", "não vão mais para o Telegram" in text(desktop), text(desktop)[:300])


def test_ignored_and_live(phone, desktop):
    phone.get(URL + "/webhooks/ignored")
    body = text(phone)
    check("ignored webhooks: reason shown as text", "<script>window.__xss=1</script>" in body, body[:300])
    no_xss(phone, "ignored webhooks")
    shot(phone, "32-ignored-390")
    desktop.get(URL + "/live")
    marker = desktop.find_element(By.CSS_SELECTOR, "[data-testid=live-marker]")
    deadline = time.time() + 10
    while time.time() < deadline and marker.get_attribute("data-state") != "live":
        time.sleep(0.2)
    check("live: the SSE stream arrives and the marker says 'ao vivo'", marker.get_attribute("data-state") == "live" and "ao vivo" in marker.text,
          marker.get_attribute("data-state"))
    shot(desktop, "33-live-desktop")
    phone.get(URL + "/live")
    check("live: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "34-live-390")


def main():
    phone = browser(390, 844)
    desktop = browser(1280, 900)
    def prepare():
        plant()
        login(phone, "dona", PASSWORD)
        login(desktop, "dona", PASSWORD)
    steps = [(t.__name__, lambda t=t: t(phone, desktop)) for t in (test_ledger, test_replay, test_help, test_sales, test_numbers, test_alerts, test_ignored_and_live)]
    return run_steps(phone, desktop, prepare, steps, "error-insight-phone")


if __name__ == "__main__":
    sys.exit(main())
