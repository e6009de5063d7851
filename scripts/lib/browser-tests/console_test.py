"""The console in a real headless Chromium, as a seller uses it: first owner with the setup
token, Início's status line (start, then "Atenção" from planted ledger rows), the language switch,
a failed login, escaping of webhook-controlled text, the setup assistant's six steps (step 5 against
a local fixture landing-page server started here), all at phone width (390 px) and desktop.
Screenshots go to $ARTIFACTS. Ends with the line 'N passed, N failed'."""

import os
import subprocess
import sys
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["CONSOLE_URL"]
FAKE = os.environ["FAKE_META_URL"]
INGEST = os.environ["INGEST_URL"]
BIN = os.environ["BIN_DIR"]
TOKEN = os.environ["SETUP_TOKEN"]
DB = os.environ["DATABASE_URL"]
ART = os.environ["ARTIFACTS"]
PASSWORD = "senha-bem-longa-1"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def browser(width, height):
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--lang=pt-BR", "--hide-scrollbars"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(width, height)
    driver.implicitly_wait(2)
    return driver


def sql(statement):
    subprocess.run(["psql", DB, "-v", "ON_ERROR_STOP=1", "-qc", statement], check=True, capture_output=True)


def sql_value(statement):
    """The first column of the first row, as text ('' when there is none)."""
    out = subprocess.run(["psql", DB, "-v", "ON_ERROR_STOP=1", "-Atc", statement], check=True, capture_output=True, text=True)
    return out.stdout.split("\n")[0]


def shot(driver, name):
    """A full-page PNG at the window's width (the viewport grown to the page's height)."""
    import base64
    path = os.path.join(ART, name + ".png")
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": max(height, 400), "deviceScaleFactor": 1, "mobile": width < 500})
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with open(path, "wb") as out:
        out.write(base64.b64decode(data["data"]))
    return path


def loaded(driver):
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def click(driver, css):
    """Clicks what `css` selects and waits until the page it submits to has replaced this one
    and finished loading (a loaded machine can be slow between the two)."""
    loaded(driver)
    old = driver.find_element(By.TAG_NAME, "html")
    for attempt in range(3):
        try:
            driver.find_element(By.CSS_SELECTOR, css).click()
            break
        except WebDriverException:
            if attempt == 2:
                raise
            time.sleep(0.5)
    WebDriverWait(driver, 10).until(lambda _: gone(old))
    loaded(driver)


def gone(element):
    """True once `element` is no longer in the document. chromedriver reports a replaced node
    either as a stale element or, sometimes, as an inspector error ("Node with given id does
    not belong to the document") that Selenium's staleness_of does not catch: both mean gone."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def fill(driver, name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def status(driver):
    element = driver.find_element(By.CSS_SELECTOR, "[data-testid=status-line]")
    return element.get_attribute("data-level"), element.text


def login(driver, user, password):
    driver.get(URL + "/login")
    fill(driver, "login", user)
    fill(driver, "password", password)
    click(driver, "[data-testid=login-submit]")


def no_horizontal_scroll(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


RESULTS = []


def check(name, condition, detail=""):
    RESULTS.append((name, bool(condition), detail))
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f"  ({detail})"), flush=True)


def test_first_owner_and_start(phone):
    phone.get(URL + "/")
    check("not logged in: Início leads to the first-owner page", phone.current_url.endswith("/welcome"), phone.current_url)
    shot(phone, "01-welcome-390")
    fill(phone, "setup_token", TOKEN)
    fill(phone, "name", "Dona Ana")
    fill(phone, "login", "dona")
    fill(phone, "password", PASSWORD)
    fill(phone, "password_again", PASSWORD)
    click(phone, "[data-testid=welcome-submit]")
    level, text = status(phone)
    check("first owner lands on Início with the start status", level == "start" and "Vamos começar" in text, text)
    check("no horizontal scroll at 390 px", no_horizontal_scroll(phone))
    shot(phone, "02-home-start-390")


def test_language_switch(phone):
    click(phone, "[data-testid=language-switch]")
    level, text = status(phone)
    check("English behind the switch", "Let's start" in text and phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", text)
    shot(phone, "03-home-start-en-390")
    click(phone, "[data-testid=language-switch]")
    check("back to Portuguese", "Vamos começar" in status(phone)[1])
    nav = phone.find_element(By.CSS_SELECTOR, "nav.nav")
    fits = phone.execute_script("var n = arguments[0]; return n.scrollWidth <= n.clientWidth + 1 && "
                                "Array.from(n.children).every(function (a) { return a.getBoundingClientRect().right <= window.innerWidth; });", nav)
    check("at 390 px every nav entry is visible without scrolling the bar", fits)
    shot(phone, "03b-nav-390")


def test_failed_login(phone):
    click(phone, "[data-testid=logout]")
    check("logout leads to the login", phone.current_url.endswith("/login"), phone.current_url)
    login(phone, "dona", "senha-errada")
    error = phone.find_element(By.CSS_SELECTOR, "[data-testid=login-error]").text
    check("a wrong password is told in pt-BR", "Usuário ou senha incorretos" in error, error)
    shot(phone, "04-login-error-390")
    login(phone, "dona", PASSWORD)
    check("the right password logs in", status(phone)[0] == "start")


def plant():
    sql("INSERT INTO tenants (id, name) VALUES ('loja-x', 'Loja X'), ('loja-y', 'Loja Y')")
    sql("INSERT INTO pixels (id, tenant_id) VALUES ('1234567890', 'loja-x'), ('555', 'loja-y')")
    sql("""INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, occurred_at, ignored_reason)
           VALUES ('hotmart', 'x', 'HP1700000001', 'approved', 'loja-x', 197, now() - interval '5 minutes', NULL),
                  ('kiwify', 'y', 'KW-42', 'approved', 'loja-y', 1234.56, now() - interval '2 minutes', NULL),
                  ('eduzz', 'x', $x$%s$x$, 'approved', 'loja-x', 47, now() - interval '1 minute', $x$%s$x$)""" % (XSS, XSS))
    for i in range(14):
        sql(f"""INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, outcome, http_status, meta_code, meta_subcode)
                VALUES ('ev-{i}', 'Purchase', '1234567890', 'parked', 400, 190, 463)""")


def test_attention_and_escaping(phone, desktop):
    plant()
    phone.get(URL + "/")
    level, text = status(phone)
    check("an expired token turns Início to Atenção with the waiting events",
          level == "attention" and "token do pixel 1234567890 expirou" in text and "14 eventos" in text, text)
    action = phone.find_element(By.CSS_SELECTOR, "[data-testid=status-action]")
    check("the problem comes with its next action", action.text == "Trocar token", action.text)
    body = phone.find_element(By.TAG_NAME, "body").text
    check("webhook-controlled text is shown as text", "<script>window.__xss=1</script>" in body)
    check("and never runs", phone.execute_script("return window.__xss === undefined"))
    check("sales formatted in reais", "R$ 1.234,56" in body, body[:200])
    check("no horizontal scroll at 390 px with data", no_horizontal_scroll(phone))
    shot(phone, "05-home-attention-390")

    login(desktop, "dona", PASSWORD)
    level, text = status(desktop)
    check("desktop: same status", level == "attention", text)
    shot(desktop, "06-home-attention-desktop")
    desktop.get(URL + "/?tenant=loja-y")
    level, text = status(desktop)
    check("picking a tenant scopes the status", level == "ok" and "1 vendas hoje" in text, text)
    shot(desktop, "07-home-tenant-desktop")


def fake_control(command):
    import json
    import urllib.request
    request = urllib.request.Request(FAKE + "/_control", data=json.dumps(command).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()


def test_setup_steps_1_2(phone, desktop):
    import hashlib
    pixel, token = "7766554433221100", "EAAB-loja-da-ana-token-9a1f"
    fake_control({"pixels": {pixel: "Loja da Ana"}, "expect_token": {pixel: hashlib.sha256(token.encode()).hexdigest()}})
    phone.get(URL + "/setup")
    shot(phone, "10-setup-step1-390")
    fill(phone, "tenant_name", "Loja da Ana")
    fill(phone, "pixel_id", pixel)
    fill(phone, "token", "EAAB-cortado")
    click(phone, "[data-testid=pixel-submit]")
    error = phone.find_element(By.CSS_SELECTOR, "[data-testid=setup-error]").text
    check("step 1: a bad token is told in pt-BR with Graph's code", "não reconheceu este token" in error and "190" in error, error)
    check("step 1: the typed pixel id is kept", phone.find_element(By.NAME, "pixel_id").get_attribute("value") == pixel)
    shot(phone, "11-setup-step1-error-390")
    fill(phone, "tenant_name", "Loja da Ana")
    fill(phone, "token", token)
    click(phone, "[data-testid=pixel-submit]")
    verified = phone.find_element(By.CSS_SELECTOR, "[data-testid=verified]").text
    check("step 1: Graph's pixel name shown as evidence", "Pixel Loja da Ana (ID 7766554433221100) encontrado" in verified, verified)
    fill(phone, "test_code", "TEST55120")
    click(phone, "[data-testid=test-submit]")
    verified = phone.find_element(By.CSS_SELECTOR, "[data-testid=verified]").text
    check("step 2: events_received and fbtrace_id shown", "O Meta recebeu 1 evento(s) (fbtrace_id" in verified, verified)
    done = phone.find_elements(By.CSS_SELECTOR, "[data-testid=setup-progress] li.done")
    check("progress shows steps 1 and 2 done", len(done) == 2, str(len(done)))
    shot(phone, "12-setup-step2-done-390")

    desktop.get(URL + "/settings/versions?tenant=loja-da-ana")
    versions = desktop.find_elements(By.CSS_SELECTOR, "[data-testid=versions] li")
    check("two versions, one per verified step", len(versions) == 2, str(len(versions)))
    shot(desktop, "13-versions-desktop")
    desktop.find_element(By.CSS_SELECTOR, "[data-testid=versions] li a").click()
    diff = desktop.find_element(By.CSS_SELECTOR, "[data-testid=diff]").text
    check("the diff shows the mode change", "+   mode: test" in diff or "mode: test" in diff, diff[:300])
    shot(desktop, "14-version-diff-desktop")
    desktop.get(URL + "/settings/versions?tenant=loja-da-ana")
    rollback = desktop.find_elements(By.CSS_SELECTOR, "button[data-testid^=rollback-]")
    check("an older version offers rollback", len(rollback) == 1, str(len(rollback)))
    if rollback:
        old = desktop.find_element(By.TAG_NAME, "html")
        rollback[0].click()
        WebDriverWait(desktop, 10).until(lambda _: gone(old))
        versions = desktop.find_elements(By.CSS_SELECTOR, "[data-testid=versions] li")
        check("rollback adds a version", len(versions) == 3 and "Volta para a versão" in versions[0].text, versions[0].text if versions else "")
        shot(desktop, "15-versions-after-rollback-desktop")


def deliver(gateway, account, secret, transaction):
    """Signs a delivery like the real gateway does (TrackhubTesting's fixtures, through
    `trackhub-fake sign`) and posts it to ingestd; returns the HTTP status."""
    import base64
    import json
    import urllib.error
    import urllib.request
    line = subprocess.run([os.path.join(BIN, "trackhub-fake"), "sign", gateway, "--transaction", transaction,
                           "--secret", secret, "--account", account], check=True, capture_output=True, text=True).stdout
    signed = json.loads(line)
    request = urllib.request.Request(INGEST + signed["target"], data=base64.b64decode(signed["body_base64"]),
                                     headers=signed["headers"], method="POST")
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def wait_state(driver, state):
    WebDriverWait(driver, 15).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=gateway-wait]").get_attribute("data-state") == state)
    return driver.find_element(By.CSS_SELECTOR, "[data-testid=gateway-wait]").text


def test_setup_step_3(phone, desktop):
    secret = "hottok-loja-da-ana-5b7e"
    phone.get(URL + "/setup?tenant=loja-da-ana")
    choices = phone.find_elements(By.CSS_SELECTOR, "[data-testid=gateway-choices] a")
    check("step 3 offers the six gateways", len(choices) == 6, str(len(choices)))
    click(phone, "[data-testid=gateway-hotmart]")
    url = phone.find_element(By.CSS_SELECTOR, "[data-testid=webhook-url]").text
    check("step 3: the webhook URL to paste is ingestd's", url == INGEST + "/webhooks/hotmart/loja-da-ana", url)
    steps = phone.find_element(By.CSS_SELECTOR, "[data-testid=gateway-steps]").text
    check("step 3: Hotmart's own menu path in pt-BR", "Ferramentas → Webhook (API e notificações)" in steps and "hottok" in steps, steps)
    check("step 3 at 390 px: no horizontal scroll", no_horizontal_scroll(phone))
    shot(phone, "16-setup-step3-hotmart-390")
    fill(phone, "secret", secret)
    click(phone, "[data-testid=gateway-submit]")
    text = wait_state(phone, "waiting")
    check("step 3: waiting live for the test delivery", "Aguardando o webhook de teste da Hotmart" in text, text)
    WebDriverWait(phone, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=gateway-live]").get_attribute("data-state") == "live")
    shot(phone, "17-setup-step3-waiting-390")
    code = deliver("hotmart", "loja-da-ana", "hottok-errado", "TESTE-ERRADO")
    check("a wrongly signed delivery is refused by ingestd", code == 401, str(code))
    text = wait_state(phone, "refused")
    check("step 3 says the signature does not match", "a assinatura não confere" in text, text)
    shot(phone, "18-setup-step3-wrong-signature-390")
    code = deliver("hotmart", "loja-da-ana", secret, "TESTE-CERTO")
    check("a signed test delivery is accepted by ingestd", code == 200, str(code))
    text = wait_state(phone, "accepted")
    check("step 3 turns green with the time it arrived", "assinatura válida" in text, text)
    check("the secret never reaches the page", secret not in phone.page_source)
    shot(phone, "19-setup-step3-accepted-390")
    click(phone, "[data-testid=gateway-recheck]")
    done = phone.find_elements(By.CSS_SELECTOR, "[data-testid=setup-progress] li.done")
    check("progress shows steps 1 to 3 done", len(done) == 3, str(len(done)))
    desktop.get(URL + "/setup?tenant=loja-da-ana&gateway=hotmart")
    shot(desktop, "19d-setup-step3-desktop")


def test_setup_step_4(phone):
    phone.get(URL + "/setup?tenant=loja-da-ana")
    check("step 4 is offered after the gateway", len(phone.find_elements(By.CSS_SELECTOR, "[data-testid=step-link]")) == 1)
    fill(phone, "name", "Lançamento")
    fill(phone, "url", "https://pay.hotmart.com/X123?off=abc")
    click(phone, "[data-testid=link-submit]")
    ads = phone.find_element(By.CSS_SELECTOR, "[data-testid=ads-url]").text
    check("step 4: the URL for the ads is ingestd's /go link", ads == INGEST + "/go/loja-da-ana-lancamento", ads)
    marked = phone.find_element(By.CSS_SELECTOR, "[data-testid=click-parameter]").text
    check("step 4: the preview highlights the click-id parameter", marked.startswith("sck="), marked)
    check("step 4 at 390 px: no horizontal scroll", no_horizontal_scroll(phone))
    shot(phone, "19e-setup-step4-link-390")


class LandingPages:
    """A seller's landing pages on a loopback port (the console runs with
    TRACKHUB_CONSOLE_ALLOW_LOOPBACK=1 so its page check may fetch them): /lp has /t.js and a
    Hotmart "Comprar" link, /antiga redirects to /lp dropping the query string, /lp-sem-script
    has no /t.js."""

    def __init__(self):
        import http.server
        import threading
        script = '<script src="%s/t.js" data-tenant="loja-da-ana" defer></script>' % INGEST
        pages = {
            "/lp": "<!doctype html><html><head><title>Curso</title>%s</head><body><h1>Curso da Ana</h1>"
                   '<a href="https://pay.hotmart.com/X123?off=abc">Comprar</a></body></html>' % script,
            "/lp-sem-script": '<!doctype html><html><head><title>Curso</title></head><body>'
                              '<a href="https://pay.hotmart.com/X123">Comprar</a></body></html>',
        }

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path == "/antiga":
                    self.send_response(302)
                    self.send_header("Location", "/lp")
                    self.end_headers()
                    return
                body = pages.get(path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "não encontrada").encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def check_page(driver, url):
    driver.get(URL + "/setup?tenant=loja-da-ana&step=page")
    fill(driver, "url", url)
    click(driver, "[data-testid=page-submit]")
    errors = driver.find_elements(By.CSS_SELECTOR, "[data-testid=setup-error]")
    if errors:
        return "error", errors[0].text
    report = driver.find_element(By.CSS_SELECTOR, "[data-testid=page-report]")
    return report.get_attribute("data-outcome"), report.text


def test_setup_step_5(phone, desktop, pages):
    phone.get(URL + "/setup?tenant=loja-da-ana")
    check("step 5 is offered after the link", len(phone.find_elements(By.CSS_SELECTOR, "[data-testid=step-page]")) == 1)
    click(phone, "[data-testid=page-submit]")
    report = phone.find_element(By.CSS_SELECTOR, "[data-testid=page-report]")
    outcome, text = report.get_attribute("data-outcome"), report.text
    check("step 5: the tracking link followed through ingestd's /go to the Hotmart checkout",
          outcome == "ready" and "Hotmart" in text, outcome + " " + text)
    hops = phone.find_element(By.CSS_SELECTOR, "[data-testid=page-hops]").text
    check("step 5: the first hop is Trackhub's own /go link, with the fbclid", "/go/loja-da-ana-lancamento" in hops and "link do Trackhub" in hops, hops)
    check("step 5 at 390 px: no horizontal scroll", no_horizontal_scroll(phone))
    shot(phone, "20-setup-step5-checkout-390")

    outcome, text = check_page(phone, pages.url + "/antiga")
    check("step 5: a redirect dropping the query string loses the click, with the fix",
          outcome == "click_lost" and "se perdeu no redirecionamento de 127.0.0.1/antiga para 127.0.0.1/lp" in text
          and "depois do “?”" in text, text)
    shot(phone, "21-setup-step5-click-lost-390")

    outcome, text = check_page(phone, pages.url + "/lp-sem-script")
    snippet = phone.find_elements(By.CSS_SELECTOR, "[data-testid=page-snippet]")
    check("step 5: a page without /t.js says so and gives the snippet to copy",
          outcome == "script_missing" and snippet and INGEST + "/t.js" in snippet[0].text, text)
    button = phone.find_element(By.CSS_SELECTOR, "[data-copy=tjs-snippet]")
    styled = phone.execute_script("var s = getComputedStyle(arguments[0]); return s.borderTopStyle !== 'outset' && s.backgroundColor === 'rgb(255, 255, 255)' && parseFloat(s.borderTopLeftRadius) >= 6;", button)
    check("the Copiar buttons are styled like the console's", styled)
    check("step 5 at 390 px: no horizontal scroll with the snippet", no_horizontal_scroll(phone))
    shot(phone, "22-setup-step5-no-script-390")

    typed = pages.url + '/lp?x="><script>window.__xss=3</script><img src=x onerror="window.__xss=4">'
    outcome, text = check_page(phone, typed)
    body = phone.find_element(By.TAG_NAME, "body").text
    kept = phone.find_element(By.NAME, "url").get_attribute("value")
    check("step 5: markup in the typed URL is shown as text (kept in the field, or in the hops)",
          (outcome == "error" and kept == typed) or "<script>window.__xss=3</script>" in body, outcome + " " + body[:300])
    shot(phone, "22x-setup-step5-xss-390")
    check("step 5: and never runs", phone.execute_script("return window.__xss === undefined"))

    outcome, text = check_page(phone, pages.url + "/lp")
    check("step 5: /t.js found and the Hotmart link it will mark",
          outcome == "ready" and "o /t.js está instalado" in text and "1 link(s) da Hotmart (em sck)" in text, text)
    shot(phone, "23-setup-step5-ready-390")
    desktop.get(URL + "/setup?tenant=loja-da-ana&step=page")
    shot(desktop, "23d-setup-step5-ready-desktop")


def test_help_applies_and_undoes(phone, desktop):
    """Ajuda, before going live: the chat finds the pixel in dry run and offers to switch it to
    live right there; applied (a new configuration version), then undone from the chat (the
    pixel is back in dry run, so step 6 below still walks the go-live)."""
    pixel = "7766554433221100"
    phone.get(URL + "/help")
    click(phone, "[data-testid=help-topic-sales_not_reaching_meta]")
    answer = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-answer]").text
    check("help: the pixel in dry run is found", "O pixel %s está em modo simulação" % pixel in answer, answer[:400])
    button = "form:has(input[name=pixel][value='%s']) [data-testid=help-fix-live]" % pixel
    check("help: switching it to live is a button in the chat", len(phone.find_elements(By.CSS_SELECTOR, button)) == 1)
    shot(phone, "24a-help-fix-offered-390")
    click(phone, button)
    done = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-fix-applied]").text
    check("help: applied in the chat, with its version", "Pronto: o pixel %s está em modo real" % pixel in done and "versão" in done, done)
    check("help: the pixel is live in Postgres", sql_value("SELECT mode FROM pixels WHERE id = '%s'" % pixel) == "live")
    shot(phone, "24b-help-fix-applied-390")
    click(phone, "[data-testid=help-fix-undo]")
    undone = phone.find_element(By.CSS_SELECTOR, "[data-testid=help-fix-undone]").text
    check("help: undone from the chat", undone.startswith("Desfeito: a versão"), undone)
    check("help: the pixel is back in dry run", sql_value("SELECT mode FROM pixels WHERE id = '%s'" % pixel) == "dry_run")
    shot(phone, "24c-help-fix-undone-390")
    desktop.get(URL + "/settings/versions?tenant=loja-da-ana")
    newest = [li.text for li in desktop.find_elements(By.CSS_SELECTOR, "[data-testid=versions] li")[:2]]
    check("help: both are versions in the history", len(newest) == 2 and "desfeita a versão" in newest[0]
          and "ativado em modo real" in newest[1], str(newest))


def test_setup_step_6(phone, desktop):
    phone.get(URL + "/setup?tenant=loja-da-ana")
    summary = phone.find_element(By.CSS_SELECTOR, "[data-testid=live-summary]").text
    # The versions test above rolled the pixel back to its first version (dry run): the summary
    # tells the mode the configuration has now.
    check("step 6: the summary names the pixel, its current mode, the gateway's sales and the link",
          "Loja da Ana" in summary and "simulação (nada é enviado)" in summary and "Hotmart" in summary and "Purchase" in summary
          and "/go/loja-da-ana-lancamento" in summary, summary)
    check("step 6 at 390 px: no horizontal scroll", no_horizontal_scroll(phone))
    shot(phone, "24-setup-step6-summary-390")
    desktop.get(URL + "/setup?tenant=loja-da-ana")
    shot(desktop, "24d-setup-step6-summary-desktop")
    phone.find_element(By.CSS_SELECTOR, "[data-testid=live-confirm]").click()
    click(phone, "[data-testid=live-submit]")
    state = phone.find_elements(By.CSS_SELECTOR, "[data-testid=live-state]")
    check("step 6: the pixel is live", state and "ao vivo" in state[0].text, state[0].text if state else "")
    mode = phone.find_element(By.CSS_SELECTOR, "[data-testid=live-mode]").text
    check("step 6: the summary says ao vivo", mode == "ao vivo", mode)
    done = phone.find_elements(By.CSS_SELECTOR, "[data-testid=setup-progress] li.done")
    check("progress shows the six steps done", len(done) == 6, str(len(done)))
    shot(phone, "25-setup-live-390")
    desktop.get(URL + "/settings/versions?tenant=loja-da-ana")
    newest = desktop.find_elements(By.CSS_SELECTOR, "[data-testid=versions] li")
    check("going live is a new configuration version", newest and "ativado" in newest[0].text, newest[0].text if newest else "")
    shot(desktop, "26-versions-live-desktop")


def main():
    phone = browser(390, 844)
    desktop = browser(1280, 900)
    pages = LandingPages()
    return run_steps(phone, desktop, lambda: None, [
        ("step", lambda: test_first_owner_and_start(phone)), ("step", lambda: test_language_switch(phone)),
        ("step", lambda: test_failed_login(phone)), ("step", lambda: test_attention_and_escaping(phone, desktop)),
        ("step", lambda: test_setup_steps_1_2(phone, desktop)), ("step", lambda: test_setup_step_3(phone, desktop)),
        ("step", lambda: test_setup_step_4(phone)), ("step", lambda: test_setup_step_5(phone, desktop, pages)),
        ("step", lambda: test_help_applies_and_undoes(phone, desktop)),
        ("step", lambda: test_setup_step_6(phone, desktop))], "error-phone")


def run_steps(phone, desktop, prepare, steps, error_shot):
    """Runs `prepare`, then each (label, step); a step that raises fails the run (and leaves a
    screenshot) while the others still report. Quits both browsers; prints and returns the tally."""
    try:
        prepare()
        for label, step in steps:
            try:
                step()
            except Exception as error:
                check(label + " raised", False, "".join(traceback.format_exception_only(type(error), error)).strip())
                shot(phone, error_shot)
    finally:
        phone.quit()
        desktop.quit()
    passed = sum(1 for _, ok, _ in RESULTS if ok)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not RESULTS else 0


if __name__ == "__main__":
    sys.exit(main())
