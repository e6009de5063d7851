"""The console in a real headless Chromium, as a seller uses it: first owner with the setup
token, Início's status line (start, then "Atenção" from planted ledger rows), the language switch,
a failed login, escaping of webhook-controlled text, all at phone width (390 px) and desktop.
Screenshots go to $ARTIFACTS. Ends with the line 'N passed, N failed'."""

import os
import subprocess
import sys
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["CONSOLE_URL"]
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


def click(driver, css):
    """Clicks what `css` selects and waits until the page it submits to has replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(old))


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


def main():
    phone = browser(390, 844)
    desktop = browser(1280, 900)
    try:
        for test in (lambda: test_first_owner_and_start(phone), lambda: test_language_switch(phone),
                     lambda: test_failed_login(phone), lambda: test_attention_and_escaping(phone, desktop)):
            try:
                test()
            except Exception as error:  # a broken step fails the run, the others still report
                check("step raised", False, "".join(traceback.format_exception_only(type(error), error)).strip())
                shot(phone, "error-phone")
    finally:
        phone.quit()
        desktop.quit()
    passed = sum(1 for _, ok, _ in RESULTS if ok)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not RESULTS else 0


if __name__ == "__main__":
    sys.exit(main())
