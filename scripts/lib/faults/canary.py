"""Scenario 9's check: after a known email, phone and access token went through, nothing
Trackhub wrote contains them in clear — not the daemons' logs, not Redis (every key of every
type, dumped through the protocol, plus the AOF files on disk), not Postgres (pg_dumpall) and
not ingestd's spool. Common normalised forms count too (lower-case email, phone digits with
and without the country code, the URL-encoded email).

Besides the user data fields and the sale's buyer, the canary travels in URLs (`URLCanary`):
the `/go` query and its Referer, `/track`'s `page_url` and `referrer`, and every webhook's query
string carry the email, the phone and a made-up access token (`URL_TOKEN`), as a thank-you page
(`/obrigado?email=…&tel=…`) or a leaky referrer would; none of them may be stored in clear."""
import hashlib
import os
import secrets
import subprocess
import urllib.parse

from .load import Extras, with_query
from .resp import Redis
from .signer import Buyer

EMAIL = "Canary.Buyer+7Q3@Cliente-Canary.test"
PHONE = "(11) 97123-4567"
PHONE_NATIONAL = "11971234567"
URL_TOKEN = "tkcanary" + secrets.token_hex(12)    # a token in a URL (a password-reset or session link)
URL_QUERY = "email=%s&tel=%s&token=%s" % (urllib.parse.quote(EMAIL, safe=""), PHONE_NATIONAL, URL_TOKEN)


def needles(tokens):
    """Every clear form that must not appear, as (label, bytes)."""
    out = [("email", EMAIL), ("email lower-case", EMAIL.lower()), ("phone", PHONE),
           ("phone digits", PHONE_NATIONAL), ("phone with 55", "55" + PHONE_NATIONAL), ("phone E.164", "+55" + PHONE_NATIONAL),
           ("email URL-encoded", urllib.parse.quote(EMAIL, safe="")), ("email URL-encoded lower-case", urllib.parse.quote(EMAIL.lower(), safe="")),
           ("token in URLs", URL_TOKEN)]
    out += [("secret %s" % label, value) for label, value in tokens]
    return [(label, value.encode()) for label, value in out]


def buyer():
    return Buyer(EMAIL, "Canario Testes", PHONE_NATIONAL)


def track_user():
    return {"email": EMAIL, "phone": PHONE, "first_name": "Canario", "last_name": "Testes"}


class URLCanary(Extras):
    """Puts the canary in every URL the load sends (see the module's doc)."""

    def __init__(self, ctx=None):
        pass

    def click(self, n, target, headers):
        headers["Referer"] = "https://lp.shop.example/cadastro?utm_source=fb&" + URL_QUERY
        return with_query(target, URL_QUERY)

    def track(self, n, body, headers):
        body["page_url"] = with_query(body["page_url"], URL_QUERY + "&utm_source=obrigado")
        body["referrer"] = "https://ref.example/entrar?access_token=%s&%s" % (URL_TOKEN, URL_QUERY)
        return body

    def webhook(self, n, target, headers):
        return with_query(target, URL_QUERY)


def redis_dump(port, path):
    """Writes every key's value (all types) to `path`; returns the number of keys."""
    n = 0
    with Redis(port, timeout=30) as r, open(path, "wb") as f:
        for key in r.scan("*"):
            n += 1
            kind = r.command("TYPE", key)
            if kind == "string":
                vals = [r.command("GET", key)]
            elif kind == "hash":
                vals = r.command("HGETALL", key)
            elif kind == "list":
                vals = r.command("LRANGE", key, 0, -1)
            elif kind == "set":
                vals = r.command("SMEMBERS", key)
            elif kind == "zset":
                vals = r.command("ZRANGE", key, 0, -1, "WITHSCORES")
            elif kind == "stream":
                vals = []
                for entry_id, fields in r.command("XRANGE", key, "-", "+"):
                    vals += [entry_id] + list(fields)
            else:
                vals = []
            f.write(b"### " + key.encode() + b" (" + kind.encode() + b")\n")
            for v in vals:
                f.write((v if isinstance(v, bytes) else str(v).encode()) + b"\n")
    return n


def pg_dump(port, path):
    with open(path, "wb") as f:
        subprocess.run(["pg_dumpall", "-h", "127.0.0.1", "-p", str(port), "-U", "trackhub"], stdout=f, check=True, timeout=300)


def files_under(*roots):
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for name in names:
                yield os.path.join(dirpath, name)


def scan(paths, needles_list):
    """(label, file) for every needle found in any of `paths`."""
    hits = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        for label, needle in needles_list:
            if needle in data:
                hits.append((label, path))
    return hits


def check(ctx, tokens):
    """Dumps Redis and Postgres into RUN_DIR/canary and scans them, every daemon log, the CLI
    output, the spools and the AOF. Returns a summary dict."""
    out_dir = os.path.join(ctx.run_dir, "canary")
    os.makedirs(out_dir, exist_ok=True)
    redis_file, pg_file = os.path.join(out_dir, "redis-dump.txt"), os.path.join(out_dir, "pg_dumpall.sql")
    keys = redis_dump(ctx.redis_port, redis_file)
    pg_dump(ctx.pg_port, pg_file)
    scanned = [redis_file, pg_file]
    scanned += list(files_under(os.path.join(ctx.run_dir, "logs")))
    scanned += [p for p in files_under(os.path.join(ctx.run_dir, "scenarios")) if "/spool/" in p]
    scanned += list(files_under(os.path.join(ctx.run_dir, "redis")))       # AOF files and redis.log
    scanned += [os.path.join(ctx.run_dir, "pg", "postgres.log")]           # server log (failed statements)
    ns = needles(tokens)
    hits = scan(scanned, ns)
    # The canary must have gone through (hashed), or finding nothing proves nothing.
    with open(pg_file, "rb") as f:
        pg_text = f.read()
    evidence = pg_text.count(hashlib.sha256(EMAIL.lower().encode()).hexdigest().encode())
    return {"files_scanned": len(scanned), "redis_keys": keys, "needles": len(ns),
            "hits": len(hits), "hit_sample": ["%s in %s" % (l, os.path.relpath(p, ctx.run_dir)) for l, p in hits[:10]],
            "pg_dump_bytes": len(pg_text), "email_hash_occurrences": evidence}
