"""Times the read API (/api/v1/…, served by `dispatchd console`) over the tenant
analytics-seed.sql built (issue 17: "p99 < 100 ms for a 90-day query on a tenant with 10M
touchpoints and 1M sales"). One request at a time with the tenant's read key; each endpoint
for the last 90 days (the hourly time series for the last 7: 2,160 hourly points is not a
question anyone asks), and the summary for the last 7 days. Prints one JSON object per query
like `bench-tool insight` (samples, hits = answers 200, p50/p99/max in ms, bytes).

    analytics-api.py URL KEY SAMPLES
"""

import datetime
import json
import sys
import time
import urllib.request

url, key, samples = sys.argv[1], sys.argv[2], int(sys.argv[3])
today = datetime.datetime.now(datetime.timezone.utc).date()
tomorrow = (today + datetime.timedelta(days=1)).isoformat()
d90 = (today - datetime.timedelta(days=89)).isoformat()
d7 = (today - datetime.timedelta(days=6)).isoformat()
p90 = "from=%s&to=%s" % (d90, tomorrow)

QUERIES = [
    ("summary, 90 days", "/api/v1/summary?" + p90),
    ("summary, 7 days", "/api/v1/summary?from=%s&to=%s" % (d7, tomorrow)),
    ("time series by day, 90 days", "/api/v1/timeseries?interval=day&" + p90),
    ("time series by hour, 7 days", "/api/v1/timeseries?interval=hour&from=%s&to=%s" % (d7, tomorrow)),
    ("breakdown by campaign, 90 days", "/api/v1/breakdown?by=utm_campaign&" + p90),
    ("breakdown by ad (utm_content), 90 days", "/api/v1/breakdown?by=utm_content&" + p90),
    ("top links, 90 days", "/api/v1/top-links?limit=10&" + p90),
    ("match quality by day, 90 days", "/api/v1/match-quality?interval=day&" + p90),
]


def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read()


for name, path in QUERIES:
    status, body = get(path)
    if status != 200:
        sys.exit("analytics-api: %s answered %d" % (path, status))
    get(path)
    ms, hits = [], 0
    for _ in range(samples):
        start = time.perf_counter()
        status, body = get(path)
        ms.append((time.perf_counter() - start) * 1000)
        hits += status == 200
    ms.sort()
    p = lambda q: ms[min(len(ms) - 1, max(0, int(-(-len(ms) * q // 1)) - 1))]
    print(json.dumps({"name": name, "samples": samples, "hits": hits, "p50_ms": round(p(0.5), 2), "p99_ms": round(p(0.99), 2),
                      "max_ms": round(ms[-1], 2), "bytes": len(body)}), flush=True)
