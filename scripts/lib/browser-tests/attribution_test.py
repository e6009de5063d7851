"""/t.js in a real headless Chromium against real daemons: the click id survives the landing page.

Starts its own Trackhub (a fresh Postgres database, its own Redis key prefix, `dispatchd apply`,
one ingestd, one dispatchd worker, the fake Meta) and serves landing-page fixtures from
127.0.0.1. Then, as a buyer would: an ad click through a real `/go` redirect to the landing page,
"Comprar" to the Hotmart checkout (the URL must carry the click id in `sck` and the campaign's
UTMs), Hotmart's signed webhook with that `sck` (TrackhubTesting's fixture, via `trackhub-fake
sign`), and the sale must match by `click_id` and reach the fake Meta as exactly one Purchase.
Also: a landing page reached with `?th_cid=`, a return visit two days later (the kept timestamp
moved back), an expired one (31 days), the cookie alone, a link inserted by script, a form POST,
a page without /t.js (nothing decorated, nothing breaks) and a page where storage throws and
MutationObserver is missing; and `/t.js?t=<tenant>` (no data-tenant) bringing the tenant's own
checkout host and its 7-day attribution window from `dispatchd apply`. Checkout hosts resolve nowhere: the browser stops at an error page
whose URL is what it tried to open. Screenshots go to $ARTIFACTS/../attribution.
Ends with the line 'N passed, N failed'."""

import http.server
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import console_test  # noqa: E402
from console_test import check, run_steps, shot  # noqa: E402
from attribution.harness import Harness  # noqa: E402
from faults.signer import Buyer  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

BIN = os.environ["TRACKHUB_BIN_DIR"]
BASE_DB = os.environ["TRACKHUB_TEST_DATABASE_URL"]
REDIS = os.environ["TRACKHUB_TEST_REDIS_URL"]
ART = os.path.join(os.path.dirname(os.environ["ARTIFACTS"]), "attribution")
TENANT, PIXEL, SLUG = "loja-lp", "303000000003", "anuncio-lp"
CHECKOUT = "https://pay.hotmart.com/X1234?off=a1"
OWN_CHECKOUT = "https://pay.loja-propria.com.br/c/curso"
DAY_MS = 86_400_000


def ulid():
    """A fresh click id (ULID: 48-bit ms time + 80 random bits, lowercase Crockford base32)."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    n = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(alphabet[(n >> (5 * i)) & 31] for i in reversed(range(26)))


def query(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


PAGE = """<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Oferta</title>
<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message))});%(before)s</script>
%(script)s
<style>body{font-family:sans-serif;margin:2rem;max-width:36rem}a.buy,button{display:inline-block;background:#0a7d32;color:#fff;
padding:.8rem 1.4rem;border:0;border-radius:.4rem;font-size:1.1rem;text-decoration:none;margin:.4rem 0}</style></head>
<body><h1>Curso de Exemplo</h1><p>Aprenda tudo em 30 dias.</p>
<p><a class="buy" id="comprar" href="%(checkout)s">Comprar</a> <a id="propria" href="%(own)s">Checkout próprio</a></p>
<p><a id="kiwify" href="https://pay.kiwify.com.br/AbC123">Comprar na Kiwify</a> ·
<a id="outro" href="https://example.org/blog">Blog</a> · <a id="topo" href="#topo">Topo</a></p>
<form id="form-post" method="post" action="https://pay.hotmart.com/X1234?off=form">
<input type="hidden" name="plano" value="anual"><button type="submit">Assinar (formulário)</button></form>
</body></html>"""


class Site:
    """The landing pages, from 127.0.0.1 (its own origin, as a seller's site is)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="trackhub-lp.")
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=self.dir, **k)  # noqa: E731
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def write(self, ingest_url):
        tag = '<script src="%s/t.js" data-tenant="%s" defer></script>' % (ingest_url, TENANT)
        pages = {
            "lp.html": {"before": "", "script": tag},
            # The tenant's own script: its id, checkout host and window come from its configuration.
            "lp-tenant.html": {"before": "", "script": '<script src="%s/t.js?t=%s" defer></script>' % (ingest_url, TENANT)},
            "sem-script.html": {"before": "", "script": ""},
            # An old or locked-down browser: storage throws, no MutationObserver, no Element.closest.
            "restrito.html": {"before": "Object.defineProperty(window,'localStorage',{get:function(){throw new Error('blocked')}});"
                                        "Object.defineProperty(window,'sessionStorage',{get:function(){throw new Error('blocked')}});"
                                        "window.MutationObserver=undefined;Element.prototype.closest=undefined;",
                              "script": tag},
        }
        for name, parts in pages.items():
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(PAGE % dict(parts, checkout=CHECKOUT, own=OWN_CHECKOUT))

    def close(self):
        self.server.shutdown()
        shutil.rmtree(self.dir, ignore_errors=True)


def harness(site_origin):
    """Trackhub on scripts/test's Redis and Postgres (their ports from its URLs)."""
    redis_port = urllib.parse.urlsplit(REDIS).port
    pg_port = urllib.parse.urlsplit(BASE_DB).port
    config = f"""tenants:
  - id: {TENANT}
    name: Loja da landing page
    default_country: br
    allowed_origins: ["{site_origin}"]
    checkout_hosts:
      - {{host: pay.loja-propria.com.br, parameter: sck}}
    attribution_window_days: 7
    pixels:
      - id: "{PIXEL}"
        token_env: ATTR_PIXEL_TOKEN
        mode: live
        default: true
    links:
      - slug: {SLUG}
        destination: {{type: generic, url: "{site_origin}/lp.html", parameter: th_cid}}
    gateway_accounts:
      - gateway: hotmart
        account: main
        secret_env: ATTR_HOTTOK
"""
    secrets_ = {"ATTR_PIXEL_TOKEN": "EAAB" + secrets.token_hex(16), "ATTR_HOTTOK": "ht-" + secrets.token_hex(12)}
    return Harness(tempfile.mkdtemp(prefix="trackhub-attr."), BIN, redis_port, pg_port, "attr-browser-%d" % os.getpid(),
                   config, secrets_)


def hotmart_sale(h, transaction, sck):
    """Hotmart's signed PURCHASE_APPROVED carrying `sck`, posted to ingestd; its HTTP status."""
    buyer = Buyer(email="comprador.lp@cliente.test", name="Ana Compradora", phone="+5511987654321")
    d = h.ctx.signer.sign("hotmart", transaction, buyer, h.ctx.secrets["ATTR_HOTTOK"], click_id=sck)
    return h.post(d.target, d.body, d.headers)


def purchases(h, transaction):
    return sum(1 for a in h.accepted() if a["name"] == "Purchase" and a.get("order") == transaction)


def chromium(width, height):
    """Chromium as console_test starts it, but resolving no host but 127.0.0.1: a checkout link
    ends at an error page whose URL is the one the page sent the buyer to."""
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                "--lang=pt-BR", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(width, height)
    return driver


def show_links(driver):
    """Writes every link's and form's target under the page, so a screenshot shows what the buyer
    would be sent to."""
    driver.execute_script(
        "var o=document.getElementById('alvos')||document.body.appendChild(document.createElement('pre'));o.id='alvos';"
        "o.style.cssText='white-space:pre-wrap;word-break:break-all;font-size:12px;background:#f3f3f3;padding:.5rem';"
        "o.textContent=Array.prototype.map.call(document.querySelectorAll('a[href^=http],form'),function(e){"
        "return (e.id||e.tagName)+' → '+(e.href||e.getAttribute('action'))}).join('\\n')")


def ready(driver):
    """The page loaded and /t.js ran (or the page has no /t.js)."""
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.readyState=='complete'&&(!document.querySelector('script[src*=\"/t.js\"]')||!!window.trackhub)"))


def leave(driver, action):
    """Runs `action` (a click or a submit) and returns the URL the browser went to."""
    start = driver.current_url
    action()
    WebDriverWait(driver, 10).until(lambda d: d.current_url != start)
    return driver.current_url


def main():
    os.makedirs(ART, exist_ok=True)
    console_test.ART = ART
    site = Site()
    stack = harness(site.origin)
    site.write(stack.ingest_url)
    phone, desktop = chromium(390, 844), chromium(1280, 900)
    state = {}

    def prepare():
        stack.start()

    def via_go():
        """Ad → /go → landing page → Comprar → checkout URL; the webhook with that sck matches by click id."""
        phone.get(stack.ingest_url + "/go/%s?utm_source=facebook&utm_campaign=black-friday&fbclid=IwAR0abc" % SLUG)
        ready(phone)
        landed = phone.current_url
        cid = query(landed).get("th_cid", "")
        check("/go redirects to the landing page with th_cid", landed.startswith(site.origin + "/lp.html") and len(cid) == 26, landed)
        check("/t.js kept the click id", phone.execute_script("return trackhub.clickId") == cid)
        show_links(phone)
        shot(phone, "01-landing-after-go-390")
        checkout = leave(phone, lambda: phone.find_element(By.ID, "comprar").click())
        q = query(checkout)
        check("Comprar opens the Hotmart checkout with sck = the click id", checkout.startswith("https://pay.hotmart.com/X1234?off=a1&")
              and q.get("sck") == cid, checkout)
        check("the checkout URL carries the campaign's UTMs", q.get("utm_source") == "facebook" and q.get("utm_campaign") == "black-friday", checkout)
        state["cid"] = cid
        transaction = "HPLP" + secrets.token_hex(5).upper()
        check("Hotmart's signed webhook is accepted", hotmart_sale(stack, transaction, q.get("sck")) == 200)
        method, bought = "", 0
        deadline = time.time() + 60
        while time.time() < deadline and not (method and bought):
            rows = stack.sql("SELECT m.method FROM matches m JOIN conversions c ON c.id = m.conversion_id "
                             "WHERE c.transaction_id = '%s'" % transaction)
            method = rows[0][0] if rows else ""
            bought = purchases(stack, transaction)
            time.sleep(0.3)
        time.sleep(1)  # a second Purchase, if one were coming, would come now
        check("the sale matched its click: match_method = click_id", method == "click_id", method or "no match")
        check("exactly one Purchase at the fake Meta", purchases(stack, transaction) == 1, str(purchases(stack, transaction)))

    def with_th_cid():
        cid = ulid()
        desktop.get(site.origin + "/lp.html?th_cid=%s&utm_source=google" % cid)
        ready(desktop)
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("?th_cid= on the landing page: the Hotmart link carries it", query(href).get("sck") == cid, href)
        kiwify = desktop.find_element(By.ID, "kiwify").get_attribute("href")
        check("the Kiwify link carries it in sck too", query(kiwify).get("sck") == cid, kiwify)
        other = desktop.find_element(By.ID, "outro").get_attribute("href")
        check("a link to a non-checkout host is left alone", other == "https://example.org/blog", other)
        show_links(desktop)
        shot(desktop, "03-landing-th-cid-desktop")
        state["desktop_cid"] = cid

    def return_visit():
        cid = state["desktop_cid"]
        # Two days later, in a new tab: the kept timestamp moved back two days, no session storage.
        desktop.execute_script("var a=JSON.parse(localStorage.th_attr);a.t-=2*%d;localStorage.th_attr=JSON.stringify(a);"
                               "sessionStorage.clear()" % DAY_MS)
        desktop.get(site.origin + "/lp.html")
        ready(desktop)
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("return visit two days later (no id in the URL): the link carries the kept click id and UTM",
              query(href).get("sck") == cid and query(href).get("utm_source") == "google", href)
        show_links(desktop)
        shot(desktop, "04-return-visit-2-days-desktop")
        # Only the cookie left (storage cleared): still the click id.
        desktop.execute_script("localStorage.clear()")
        desktop.get(site.origin + "/lp.html")
        ready(desktop)
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("storage cleared, first-party th_cid cookie left: still decorated", query(href).get("sck") == cid, href)
        # 31 days later: past the 30-day window, and the cookie (which would have expired) gone.
        desktop.execute_script("var a=JSON.parse(localStorage.th_attr);a.t-=31*%d;localStorage.th_attr=JSON.stringify(a)" % DAY_MS)
        desktop.delete_cookie("th_cid")
        desktop.get(site.origin + "/lp.html")
        ready(desktop)
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("31 days later the click id is no longer used", href == CHECKOUT and desktop.execute_script("return trackhub.clickId") is None, href)

    def dynamic_link():
        phone.get(site.origin + "/lp.html?th_cid=%s" % state["cid"])
        ready(phone)
        phone.execute_script("var a=document.createElement('a');a.id='novo';a.className='buy';a.textContent='Oferta relâmpago';"
                             "a.href='https://pay.hotmart.com/Y999';document.body.appendChild(a)")
        WebDriverWait(phone, 5).until(lambda d: "sck=" in d.find_element(By.ID, "novo").get_attribute("href"))
        href = phone.find_element(By.ID, "novo").get_attribute("href")
        check("a link inserted later by script is decorated", query(href).get("sck") == state["cid"], href)
        phone.execute_script("document.getElementById('comprar').setAttribute('href','https://pay.hotmart.com/Z777')")
        went = leave(phone, lambda: phone.find_element(By.ID, "comprar").click())
        check("a link whose href a script changed is decorated at click time", query(went).get("sck") == state["cid"], went)
        phone.back()
        ready(phone)
        url = phone.execute_script("return trackhub.decorate('https://pay.kiwify.com.br/Q1?sck=bio')")
        check("trackhub.decorate keeps the link's own sck and appends the id", query(url).get("sck") == "bio_" + state["cid"], url)
        show_links(phone)
        shot(phone, "05-dynamic-link-390")

    def form_post():
        phone.get(site.origin + "/lp.html?th_cid=%s" % state["cid"])
        ready(phone)
        went = leave(phone, lambda: phone.find_element(By.CSS_SELECTOR, "#form-post button").click())
        check("a form POST to the checkout carries the click id in its action", went.startswith("https://pay.hotmart.com/X1234?off=form&")
              and query(went).get("sck") == state["cid"], went)

    def without_script():
        desktop.get(site.origin + "/sem-script.html?th_cid=%s" % state["cid"])
        ready(desktop)
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("a page without /t.js: links untouched", href == CHECKOUT, href)
        show_links(desktop)
        shot(desktop, "06-page-without-script-desktop")
        went = leave(desktop, lambda: desktop.find_element(By.ID, "comprar").click())
        check("a page without /t.js: Comprar still goes to the checkout", went == CHECKOUT, went)

    def tenant_script():
        cid = ulid()
        desktop.delete_all_cookies()
        desktop.get(site.origin + "/lp-tenant.html?th_cid=%s" % cid)
        ready(desktop)
        desktop.execute_script("localStorage.clear();sessionStorage.clear()")
        desktop.get(site.origin + "/lp-tenant.html?th_cid=%s" % cid)
        ready(desktop)
        own = desktop.find_element(By.ID, "propria").get_attribute("href")
        check("/t.js?t=: the tenant's own checkout host is decorated", query(own).get("sck") == cid, own)
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("/t.js?t=: the known gateways still are", query(href).get("sck") == cid, href)
        pageview = desktop.execute_script("return trackhub.pageviewEventId")
        seen = False
        deadline = time.time() + 30
        while time.time() < deadline and not seen:
            seen = bool(stack.sql("SELECT 1 FROM touchpoints WHERE kind = 'pageview' AND event_id = '%s' AND tenant_id = '%s'"
                                  % (pageview, TENANT)))
            time.sleep(0.3)
        check("/t.js?t=: its pageview names the tenant without data-tenant", seen, pageview)
        show_links(desktop)
        shot(desktop, "07-tenant-script-desktop")
        # Eight days later: past this tenant's 7-day window (the cookie would have expired too).
        desktop.execute_script("var a=JSON.parse(localStorage.th_attr);a.t-=8*%d;localStorage.th_attr=JSON.stringify(a)" % DAY_MS)
        desktop.delete_cookie("th_cid")
        desktop.get(site.origin + "/lp-tenant.html")
        ready(desktop)
        own = desktop.find_element(By.ID, "propria").get_attribute("href")
        check("/t.js?t=: 8 days later the tenant's 7-day window has passed", own == OWN_CHECKOUT, own)

    def locked_down():
        desktop.get(site.origin + "/restrito.html?th_cid=%s" % state["cid"])
        ready(desktop)
        errors = desktop.execute_script("return window.__errors")
        check("storage throwing, no MutationObserver, no closest: no error reaches the page", errors == [], str(errors))
        href = desktop.find_element(By.ID, "comprar").get_attribute("href")
        check("... and the links present at load are still decorated", query(href).get("sck") == state["cid"], href)

    try:
        status = run_steps(phone, desktop, prepare, [
            ("via /go", via_go), ("?th_cid", with_th_cid), ("return visit", return_visit),
            ("dynamic link", dynamic_link), ("form POST", form_post), ("no script", without_script),
            ("locked-down browser", locked_down), ("tenant script", tenant_script),
        ], "attribution-error")
        if status:
            print(stack.logs(), file=sys.stderr)
        return status
    finally:
        stack.stop()
        site.close()


if __name__ == "__main__":
    sys.exit(main())
