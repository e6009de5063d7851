"""Privacidade (LGPD) in a real headless Chromium against real daemons.

Starts its own Trackhub (attribution's harness: a fresh Postgres database, its own Redis key
prefix, `dispatchd apply`, one ingestd, one dispatchd worker, the fake Meta) and a `dispatchd
console` over the same database, Redis prefix and master key. Two buyers come through real paths:
each an ad click through `/go`, then Hotmart's signed webhook carrying that click id, until the fake
Meta accepted both Purchases. Then, as the seller: bad input refused by field (nothing filled, an
e-mail with an XSS attempt, a CPF with wrong check digits), an XSS attempt as external id shown
as text, the first buyer searched by e-mail (counts per place, no value, no hash), exported (the
downloaded file holds their sale and nothing of the other buyer), erased after the confirmation
word, searched again (nothing found) while the other buyer is still found. Screenshots at 390 px
and desktop under $ARTIFACTS/../privacy. Identifiers are never printed. Ends with 'N passed, N failed'."""

import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import console_test  # noqa: E402
from console_test import browser, check, click, fill, no_horizontal_scroll, run_steps, shot  # noqa: E402
from attribution.harness import Harness  # noqa: E402
from faults.procs import Daemon  # noqa: E402
from faults.signer import Buyer  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

BIN = os.environ["TRACKHUB_BIN_DIR"]
BASE_DB = os.environ["TRACKHUB_TEST_DATABASE_URL"]
REDIS = os.environ["TRACKHUB_TEST_REDIS_URL"]
ART = os.path.join(os.path.dirname(os.environ["ARTIFACTS"]), "privacy")
TENANT, PIXEL, SLUG = "loja-pv", "303000000009", "anuncio-pv"
PASSWORD = "senha-privacidade-1"
XSS = '<img src=x onerror="window.__xss=1">'
TAG = secrets.token_hex(3)
ANA = Buyer(email="ana.titular.%s@cliente.test" % TAG, name="Ana Titular", phone="+5511987650001")
BIA = Buyer(email="bia.outra.%s@cliente.test" % TAG, name="Bia Outra", phone="+5511987650002")


def harness():
    redis_port = urllib.parse.urlsplit(REDIS).port
    pg_port = urllib.parse.urlsplit(BASE_DB).port
    config = f"""tenants:
  - id: {TENANT}
    name: Loja da Privacidade
    default_country: br
    pixels:
      - id: "{PIXEL}"
        token_env: PV_PIXEL_TOKEN
        mode: live
        default: true
    links:
      - slug: {SLUG}
        destination: {{type: generic, url: "https://loja-pv.example/oferta", parameter: th_cid}}
    gateway_accounts:
      - gateway: hotmart
        account: main
        secret_env: PV_HOTTOK
"""
    secrets_ = {"PV_PIXEL_TOKEN": "EAAB" + secrets.token_hex(16), "PV_HOTTOK": "ht-" + secrets.token_hex(12)}
    return Harness(tempfile.mkdtemp(prefix="trackhub-privacy."), BIN, redis_port, pg_port, "privacy-browser-%d" % os.getpid(),
                   config, secrets_)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def go_click(h):
    """An ad click through ingestd's /go: the click id the redirect carries."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(h.ingest_url + "/go/%s?utm_source=facebook&utm_campaign=lgpd" % SLUG, timeout=10)
        return ""
    except urllib.error.HTTPError as e:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(e.headers.get("Location", "")).query)).get("th_cid", "")


def buy(h, buyer):
    """A click, then Hotmart's signed sale with that click id; the order id."""
    cid = go_click(h)
    check("/go gives a click id", len(cid) == 26)
    transaction = "HPPV" + secrets.token_hex(5).upper()
    d = h.ctx.signer.sign("hotmart", transaction, buyer, h.ctx.secrets["PV_HOTTOK"], click_id=cid)
    check("Hotmart's signed webhook is accepted", h.post(d.target, d.body, d.headers) == 200)
    return transaction


def start_console(h, run_dir):
    env = h.stack.base_env()
    env.update({"TRACKHUB_CONSOLE_INGEST_URL": h.ingest_url, "TRACKHUB_LOG_LEVEL": "info"})
    owner = subprocess.run([os.path.join(BIN, "dispatchd"), "console", "create-owner", "--login", "dona", "--name", "Dona"],
                           input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=60)
    if owner.returncode != 0:
        raise RuntimeError("create-owner failed: " + owner.stderr[-500:])
    d = Daemon("console", [os.path.join(BIN, "dispatchd"), "console", "--console-port", "0"], env,
               os.path.join(run_dir, "console.log"), h.ctx.registry)
    d.start()
    d.wait_log("console listening", timeout=60)
    port = ""
    for line in d.new_log().splitlines():
        if 'msg="console listening"' in line:
            port = [p.split("=", 1)[1] for p in line.split() if p.startswith("port=")][0]
    return d, "http://127.0.0.1:%s" % port


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def row(driver, kind):
    """The count shown for one place (the row's last cell)."""
    cells = driver.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-row-%s] span" % kind)
    return cells[-1].text if cells else None


def no_xss(driver, page):
    check(page + ": injected text never runs", driver.execute_script("return window.__xss === undefined"))


def search(driver, url, **fields):
    driver.get(url + "/privacy?tenant=" + TENANT)
    for name in ("email", "phone", "cpf", "external_id", "telegram_user_id"):
        fill(driver, name, fields.get(name, ""))
    click(driver, "[data-testid=privacy-search]")


def main():
    os.makedirs(ART, exist_ok=True)
    for old in glob.glob(os.path.join(ART, "*")):
        os.remove(old)
    console_test.ART = ART
    downloads = tempfile.mkdtemp(prefix="trackhub-privacy-downloads.")
    stack = harness()
    state = {}
    phone, desktop = browser(390, 844), browser(1280, 900)

    def prepare():
        stack.start()
        state["ana"], state["bia"] = buy(stack, ANA), buy(stack, BIA)
        deadline = time.time() + 90
        def sent(order):
            return any(a["name"] == "Purchase" and a.get("order") == order for a in stack.accepted())
        while time.time() < deadline and not (sent(state["ana"]) and sent(state["bia"])):
            time.sleep(0.3)
        check("both Purchases reached the fake Meta", sent(state["ana"]) and sent(state["bia"]))
        state["console"], state["url"] = start_console(stack, stack.ctx.run_dir)
        for d in (phone, desktop):
            d.get(state["url"] + "/login")
            fill(d, "login", "dona")
            fill(d, "password", PASSWORD)
            click(d, "[data-testid=login-submit]")
        desktop.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})

    def refusals():
        url = state["url"]
        phone.get(url + "/")
        links = [a.text for a in phone.find_elements(By.CSS_SELECTOR, "a[href='/privacy']")]
        check("the navigation has 'Privacidade'", "Privacidade" in links, str(links))
        search(phone, url)
        check("nothing filled: refused in pt-BR", "Preencha pelo menos um dado da pessoa" in text(phone))
        check("nothing filled: nothing searched", not phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-found]"))
        shot(phone, "01-privacy-empty-refused-390")
        search(phone, url, email=XSS + "@x", cpf="529.982.247-26")
        email_problem = phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-problem-email]")
        cpf_problem = phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-problem-cpf]")
        check("a malformed e-mail is refused naming the field", email_problem and email_problem[0].text.startswith("E-mail"))
        check("a CPF with wrong check digits is refused naming the field", cpf_problem and "dígitos verificadores" in cpf_problem[0].text)
        check("the typed XSS attempt comes back as text in the field",
              phone.find_element(By.NAME, "email").get_attribute("value") == XSS + "@x")
        no_xss(phone, "refused form")
        check("no horizontal scroll at 390 px", no_horizontal_scroll(phone))
        shot(phone, "02-privacy-bad-fields-390")
        search(phone, url, external_id=XSS)
        check("an XSS attempt as external id is searched as text: nothing found",
              phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-nothing]") and phone.find_element(By.NAME, "external_id").get_attribute("value") == XSS)
        no_xss(phone, "search result")
        shot(phone, "03-privacy-xss-external-id-390")
        check("identifiers never in the URL", "@" not in phone.current_url and "cliente" not in phone.current_url, phone.current_url)

    def found_and_export():
        url = state["url"]
        search(desktop, url, email=ANA.email.upper())
        counts = {k: row(desktop, k) for k in ("touchpoints", "conversions", "dispatch_attempts", "webhook_inbox", "dead_letters")}
        check("the buyer's sale, its click, its ledger rows and its webhook are counted",
              counts["conversions"] == "1" and counts["touchpoints"] not in (None, "0") and counts["dispatch_attempts"] not in (None, "0")
              and counts["webhook_inbox"] == "1", str(counts))
        source = desktop.page_source
        import hashlib
        em = hashlib.sha256(ANA.email.encode()).hexdigest()
        check("no hash on the page", em not in source)
        check("the page names the places in a seller's words", "Vendas" in text(desktop) and "Corpos de webhook guardados" in text(desktop))
        shot(desktop, "04-privacy-found-desktop")
        search(phone, url, email=ANA.email)
        check("found at 390 px too, without horizontal scroll", row(phone, "conversions") == "1" and no_horizontal_scroll(phone))
        shot(phone, "05-privacy-found-390")
        desktop.find_element(By.CSS_SELECTOR, "[data-testid=privacy-export]").click()
        deadline = time.time() + 30
        files = []
        while time.time() < deadline:
            files = [f for f in glob.glob(os.path.join(downloads, "*.json"))]
            if files and not glob.glob(os.path.join(downloads, "*.crdownload")):
                break
            time.sleep(0.2)
        check("Exportar (JSON) downloads lgpd-<loja>-….json", len(files) == 1 and os.path.basename(files[0]).startswith("lgpd-" + TENANT + "-"),
              str([os.path.basename(f) for f in files]))
        if files:
            document = open(files[0]).read()
            data = json.loads(document)
            orders = [c.get("transaction_id") for c in data.get("conversions", [])]
            check("the export holds the planted sale", orders == [state["ana"]], "%d sales" % len(orders))
            check("the export holds the opened webhook naming the buyer", ANA.email in document)
            check("the export holds nothing of the other buyer", BIA.email not in document and state["bia"] not in document)

    def erase():
        url = state["url"]
        search(phone, url, email=ANA.email)
        click(phone, "[data-testid=privacy-erase]")
        summary = phone.find_element(By.CSS_SELECTOR, "[data-testid=privacy-confirm-summary]").text
        check("the confirmation repeats what will be erased", "Loja da Privacidade" in summary and "Vendas" in text(phone))
        check("confirmation: no horizontal scroll at 390 px", no_horizontal_scroll(phone))
        shot(phone, "06-privacy-confirm-390")
        fill(phone, "confirm_word", "sim")
        click(phone, "[data-testid=privacy-confirm-erase]")
        check("a wrong word erases nothing and asks again", phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-wrong-word]"))
        fill(phone, "confirm_word", "APAGAR")
        click(phone, "[data-testid=privacy-confirm-erase]")
        notice = phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-erased-notice]")
        check("the erasure is done and said, with the request number", notice and "Pedido registrado" in notice[0].text)
        erased = phone.find_element(By.CSS_SELECTOR, "[data-testid=privacy-erased]").text
        check("the result counts what was erased", "Vendas\n1" in erased or "Vendas 1" in erased, erased[:200])
        shot(phone, "07-privacy-erased-390")
        search(phone, url, email=ANA.email)
        check("searched again: nothing found", phone.find_elements(By.CSS_SELECTOR, "[data-testid=privacy-nothing]"))
        shot(phone, "08-privacy-searched-again-390")
        search(desktop, url, email=BIA.email)
        check("the other buyer is still found", row(desktop, "conversions") == "1")
        shot(desktop, "09-privacy-other-buyer-desktop")
        left = stack.sql("SELECT count(*) FROM conversions WHERE transaction_id = '%s' AND buyer IS NULL" % state["ana"])
        check("the erased sale has no buyer left in Postgres", left and str(left[0][0]) == "1", str(left))
        audit = stack.sql("SELECT summary FROM config_audit WHERE action LIKE 'privacy.%'")
        check("audited (search, export, erase), without identifiers",
              len(audit) >= 3 and not any(TAG in str(r) for r in audit), "%d rows" % len(audit))

    try:
        status = run_steps(phone, desktop, prepare, [("refusals", refusals), ("found and export", found_and_export), ("erase", erase)],
                           "privacy-error")
        if status:
            print(stack.logs(), file=sys.stderr)
            if state.get("console"):
                print(state["console"].new_log()[-3000:], file=sys.stderr)
        return status
    finally:
        if state.get("console"):
            state["console"].terminate()
        stack.stop()
        # The run folder holds the master key, the logs and the exported document.
        shutil.rmtree(stack.ctx.run_dir, ignore_errors=True)
        shutil.rmtree(downloads, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
