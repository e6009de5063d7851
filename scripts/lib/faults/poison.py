"""Scenario 7: stream entries no ingestd would write, appended straight to the ingest streams
while the load runs. Each must end as one `unparseable` dead letter (nothing else may stall or
crash): dispatchd acknowledges it and carries on with the entries behind it."""
import json
import os
import time

from .resp import Redis


def entries(round_no):
    """(stream priority, field/value pairs) of every poison kind, unique per round."""
    now_ms = int(time.time() * 1000)
    base = {"v": 1, "received_at": now_ms, "tenant": "shop"}
    sealed_track = dict(base, id="01poisontrack%013d" % round_no, kind="track",
                        track={"event": "lead", "event_id": "poison-%d" % round_no, "session_id": "s",
                               "consent": True, "user": "k9.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB"})
    sealed_hook = dict(base, id="01poisonhook%014d" % round_no, kind="webhook",
                       webhook={"gateway": "hotmart", "account": "main", "body": "k9.AAAA.BBBB",
                                "content_type": "application/json", "query": [], "headers": {}})
    click_no_body = dict(base, id="01poisonclick%013d" % round_no, kind="click")
    return [
        ("high", [b"e", b"this is not json"]),
        ("normal", [b"e", b"{}"]),
        ("normal", [b"e", json.dumps(click_no_body).encode()]),
        ("low", [b"e", os.urandom(2048)]),
        ("normal", [b"x", b"no envelope field"]),
        ("low", [b"e", b"[" * 200_000]),                       # nesting far deeper than any parser should follow
        ("high", [b"e", b'{"v":99,"id":"future","kind":"click","received_at":1,"tenant":"shop"}']),
        ("normal", [b"e", json.dumps(sealed_track).encode()]),
        ("high", [b"e", json.dumps(sealed_hook).encode()]),
        ("normal", [b"e", b'{"v":1,"id":"' + b"\xff\xfe" * 10 + b'","kind":"track"}']),
    ]


def inject(port, prefix, round_no):
    """Appends one round of poison; returns how many entries were written."""
    items = entries(round_no)
    with Redis(port) as r:
        for prio, fields in items:
            r.command("XADD", "%s:ingest:%s" % (prefix, prio), "*", *fields)
    return len(items)
