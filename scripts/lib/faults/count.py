"""Settling and counting.

Definitions (docs/RELIABILITY.md repeats them):
  accepted       logical requests answered 2xx/302 (a webhook retried until 200 counts once)
  expected       the Meta events the accepted requests must produce (see load.py for the mapping)
  delivered      expected events the fake Meta accepted at least once (unique pixel+name+event_id)
  dead_lettered  expected events not delivered that are in Postgres `dead_letters`, by reason
  lost           expected events neither delivered nor dead-lettered
  duplicated     extra acceptances at the fake of the same pixel+event_name+event_id
  unledgered     events the fake accepted with no `dispatch_attempts` row at all (every attempt
                 is written `in_flight` before its request leaves, so even a worker killed
                 mid-send leaves one): must be 0
  foreign        events the fake accepted that no request (accepted, or unanswered) explains, and
                 Purchases of one order under two event_ids: a duplicate under another id. A
                 PageView of a click whose 302 never arrived (status 0: the process was killed
                 between the durable write and the answer) is explained by that click, one each
"""
import collections
import json
import os
import time

from .procs import log
from .resp import Redis, pairs


def stream_id(raw):
    try:
        a, b = (raw.decode() if isinstance(raw, bytes) else raw).split("-")
        return int(a), int(b)
    except (AttributeError, ValueError):
        return (0, 0)


def queue_state(ctx, stack):
    """What still has to move: pending/unread stream entries, retries, parked events, spool."""
    p = stack.prefix
    s = {"pending": 0, "lag": 0, "retry": 0, "inflight": 0, "parked": 0, "spool": 0}
    try:
        with Redis(ctx.redis_port, timeout=2) as r:
            for prio in ("high", "normal", "low"):
                try:
                    groups = r.command("XINFO", "GROUPS", "%s:ingest:%s" % (p, prio))
                except Exception:
                    continue
                last = pairs(r.command("XINFO", "STREAM", "%s:ingest:%s" % (p, prio))).get("last-generated-id")
                for g in groups:
                    info = pairs(g)
                    s["pending"] += info.get("pending") or 0
                    # entries not yet delivered to the group (`lag` can be nil after trimming)
                    s["lag"] += info.get("lag") or (1 if stream_id(info.get("last-delivered-id")) < stream_id(last) else 0)
            s["retry"] = r.command("ZCARD", p + ":retry")
            s["inflight"] = r.command("ZCARD", p + ":retry:inflight")
            for key in r.scan(p + ":parked:*"):
                s["parked"] += r.command("ZCARD", key)
    except OSError:
        s["redis_down"] = 1
    s["spool"] = stack.readyz().get("spool_pending", 0) if stack.ingest and stack.ingest.alive else 0
    return s


def meta_records(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    return out


def dead_letters(ctx, stack):
    try:
        rows = ctx.pg.psql(stack.db, "SELECT reason, coalesce(event_id,''), coalesce(pixel_id,''), "
                                     "coalesce(stream_id, envelope_id, id::text) FROM dead_letters")
    except RuntimeError:
        return None
    return [{"reason": r[0], "event_id": r[1], "pixel": r[2], "source": r[3]} for r in rows]


def expected_keys(outcomes):
    exp, unanswered = set(), set()
    for o in outcomes:
        (exp if o.accepted else unanswered).update(o.keys)
    return exp, unanswered - exp


def wait_settled(ctx, stack, outcomes, records_path, timeout):
    """Polls until queues are empty and every expected event is delivered or dead-lettered,
    or until `timeout` (then what is missing is reported as lost)."""
    expected, _ = expected_keys(outcomes)
    deadline = time.time() + timeout
    quiet_since = None
    while True:
        state = queue_state(ctx, stack)
        delivered = {(r["pixel"], a["name"], a["id"]) for r in meta_records(records_path) for a in r["accepted"]}
        dl = dead_letters(ctx, stack) or []
        dead = {(d["pixel"], d["event_id"]) for d in dl}
        missing = [k for k in expected if k not in delivered and (k[0], k[2]) not in dead]
        idle = not any(state.values())
        if idle and not missing:
            break
        quiet_since = (quiet_since or time.time()) if idle else None
        if quiet_since and time.time() - quiet_since > 15:
            log("%s: queues idle for 15 s with %d expected event(s) unaccounted" % (stack.name, len(missing)))
            break
        if time.time() > deadline:
            log("%s: not settled after %ss: %s, %d unaccounted" % (stack.name, timeout, state, len(missing)))
            break
        time.sleep(0.5)
    time.sleep(2.0)   # answers still in flight at the fake (slow responses) land before counting
    return queue_state(ctx, stack)


def explain_duplicates(ctx, stack, dups):
    """Each duplicated event's ledger (dispatch_attempts) in order, and why it went out twice:
    `timeout` when an attempt timed out at dispatchd (Meta had it anyway), else `unacked` (Meta
    accepted, but the outcome was not recorded and acknowledged — the process was killed, or
    Redis/Postgres did not answer at that moment — so the entry was processed again)."""
    if not dups:
        return []
    ids = ",".join("'%s'" % k[2].replace("'", "''") for k in dups)
    try:
        rows = ctx.pg.psql(stack.db, "SELECT event_id, string_agg(outcome || coalesce('(' || left(meta_message, 30) || ')', ''), ' > ' ORDER BY id) "
                                     "FROM dispatch_attempts WHERE event_id IN (%s) GROUP BY event_id" % ids)
    except RuntimeError:
        rows = []
    ledger = {r[0]: r[1] for r in rows}
    out = []
    for (pixel, name, eid), n in sorted(dups.items()):
        trail = ledger.get(eid, "")
        out.append({"pixel": pixel, "name": name, "event_id": eid, "times": n, "ledger": trail,
                    "cause": "timeout" if "timeout" in trail.lower() else "unacked"})
    return out


def unledgered(ctx, stack, accepted_keys):
    """The events the fake accepted that have no ledger row of their pixel and event id."""
    if not accepted_keys:
        return []
    try:
        rows = ctx.pg.psql(stack.db, "SELECT DISTINCT pixel_id, event_id FROM dispatch_attempts")
    except RuntimeError:
        return None
    ledger = {(r[0], r[1]) for r in rows}
    return sorted(k for k in accepted_keys if (k[0], k[2]) not in ledger)


def percentile(values, q):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def tally(ctx, stack, outcomes, records_path, window):
    recs = meta_records(records_path)
    acc = collections.Counter()
    orders = collections.defaultdict(set)
    for r in recs:
        for a in r["accepted"]:
            key = (r["pixel"], a["name"], a["id"])
            acc[key] += 1
            if a["name"] == "Purchase" and a.get("order"):
                orders[(r["pixel"], a["order"])].add(a["id"])
    expected, unanswered = expected_keys(outcomes)
    dl = dead_letters(ctx, stack) or []
    dead_index = collections.defaultdict(list)
    for d in dl:
        dead_index[(d["pixel"], d["event_id"])].append(d["reason"])
    delivered = {k for k in expected if acc[k] > 0}
    dead = {k for k in expected - delivered if (k[0], k[2]) in dead_index}
    lost = sorted(expected - delivered - dead)
    by_reason = collections.Counter(dead_index[(k[0], k[2])][0] for k in dead)
    # Stream entries dead-lettered (no event): counted once per entry, however often recorded.
    other_dl = collections.Counter(reason for reason, _ in {(d["reason"], d["source"]) for d in dl if not d["event_id"]})
    dups = {k: n for k, n in acc.items() if n > 1}
    missing_rows = unledgered(ctx, stack, set(acc))
    foreign = [k for k in acc if k not in expected and k not in unanswered]
    # A /go whose 302 was lost (ingestd killed after the durable write, before the answer) has
    # a click id the load generator never saw, so its PageView cannot be named in advance. Such
    # PageViews are explained, up to the number of clicks left with no answer at all; beyond
    # that they stay foreign.
    blind_clicks = sum(1 for o in outcomes if o.kind == "click" and o.status == 0)
    blind_pageviews = [k for k in foreign if k[1] == "PageView"][:blind_clicks]
    foreign = [k for k in foreign if k not in set(blind_pageviews)]
    multi_id_orders = {o: ids for o, ids in orders.items() if len(ids) > 1}
    statuses = collections.Counter(a.status for o in outcomes for a in o.attempts)
    lat = [a.latency * 1000 for o in outcomes for a in o.attempts
           if a.status in (200, 202, 302) and window[0] <= a.started <= window[1]]
    lat_all = [a.latency * 1000 for o in outcomes for a in o.attempts if a.status in (200, 202, 302)]
    return {
        "requests": len(outcomes),
        "accepted": sum(1 for o in outcomes if o.accepted),
        "by_kind": dict(collections.Counter(o.kind for o in outcomes if o.accepted)),
        "expected": len(expected),
        "delivered": len(delivered),
        "dead_lettered": len(dead),
        "dead_by_reason": dict(by_reason),
        "other_dead_letters": dict(other_dl),
        "lost": len(lost),
        "lost_sample": lost[:10],
        "duplicated": sum(n - 1 for n in dups.values()),
        "duplicates": explain_duplicates(ctx, stack, dups),
        "unledgered": len(missing_rows) if missing_rows is not None else None,
        "unledgered_sample": [list(k) for k in (missing_rows or [])[:5]],
        "unanswered": len(unanswered),
        "unanswered_delivered": sum(1 for k in unanswered if acc[k] > 0),
        "blind_clicks": blind_clicks,
        "blind_clicks_delivered": len(blind_pageviews),
        "foreign": len(foreign) + len(multi_id_orders),
        "foreign_sample": [list(k) for k in foreign[:5]] + [[o[0], o[1], sorted(ids)] for o, ids in list(multi_id_orders.items())[:5]],
        "delivered_and_dead": sum(1 for k in delivered if (k[0], k[2]) in dead_index),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": sum(v for k, v in statuses.items() if k >= 500),
        "p50_ms": percentile(lat, 0.50), "p99_ms": percentile(lat, 0.99), "window_requests": len(lat),
        "p50_all_ms": percentile(lat_all, 0.50), "p99_all_ms": percentile(lat_all, 0.99),
        "meta_requests": len(recs),
        "delivered_in_window": {px: sum(len(r["accepted"]) for r in recs if r["pixel"] == px and window[0] <= r["received"] <= window[1])
                                for px in sorted({r["pixel"] for r in recs})},
        "meta_failed_requests": sum(1 for r in recs if r["status"] != 200),
    }
