"""Times the console's pages over HTTP, as a logged-in owner, on the ledger console-seed.sql
built: Registro searches (order id, click id, e-mail, phone), an event's page, Fila de falhas,
Webhooks ignorados, Ao vivo, and Ajuda's diagnosis. One request at a time; prints one JSON
object per page like `bench-tool insight` (samples, hits = answers 200, p50/p99/max in ms).

    console-pages.py URL LOGIN PASSWORD ROWS SAMPLES
"""

import http.cookiejar
import json
import random
import re
import sys
import time
import urllib.parse
import urllib.request

url, login, password, rows, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
sales, clicks = max(1, rows // 10), max(1, rows // 2)
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def fetch(path, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    with opener.open(url + path, data=data, timeout=30) as r:
        return r.status, r.read().decode("utf-8", "replace")


def csrf(body):
    m = re.search(r'name="_csrf" value="([0-9a-f]+)"', body)
    return m.group(1) if m else ""


_, page = fetch("/login")
status, page = fetch("/login", {"login": login, "password": password, "_csrf": csrf(page)})
if "/logout" not in page:
    sys.exit("console-pages: login failed")
_, help_page = fetch("/help")
token = csrf(help_page)


def sale():
    return random.randint(1, sales)


def time_page(name, n, request):
    for _ in range(2):
        request()
    ms, hits = [], 0
    for _ in range(n):
        start = time.perf_counter()
        status, body = request()
        ms.append((time.perf_counter() - start) * 1000)
        hits += status == 200
    ms.sort()
    p = lambda q: ms[min(len(ms) - 1, max(0, int(-(-len(ms) * q // 1)) - 1))]
    print(json.dumps({"name": name, "samples": n, "hits": hits, "p50_ms": round(p(0.5), 2), "p99_ms": round(p(0.99), 2),
                      "max_ms": round(ms[-1], 2)}), flush=True)


heavy = max(1, samples // 10)
time_page("page_ledger_search_order_id", samples, lambda: fetch("/ledger?q=HPB%010d" % sale()))
time_page("page_ledger_search_click_id", samples, lambda: fetch("/ledger?q=BCLK%010d" % random.randint(1, clicks)))
time_page("page_ledger_search_email", samples, lambda: fetch("/ledger?q=" + urllib.parse.quote("Buyer%d@Example.com" % sale())))
time_page("page_ledger_search_phone", samples, lambda: fetch("/ledger?q=" + urllib.parse.quote("+55 (11) 9%08d" % sale())))
time_page("page_event", samples, lambda: fetch("/ledger/event?pixel=900000000000001&name=Purchase&id=hotmart.HPB%010d" % sale()))
time_page("page_failures", heavy, lambda: fetch("/failures"))
time_page("page_ignored_webhooks", heavy, lambda: fetch("/webhooks/ignored"))
time_page("page_live", heavy, lambda: fetch("/live"))
time_page("page_help_diagnosis", heavy, lambda: fetch("/help", {"topic": "sale_not_matched", "_csrf": token}))
