"""Signed gateway deliveries, shaped like each gateway's real payload (see Tests/Fixtures and
Tests/IntegrationTests/Harness/SalesWebhooks.swift) and signed the way each gateway signs
(docs/API.md, "How each gateway authenticates").

Every builder returns a Delivery whose `event_id` is the Purchase event_id dispatchd derives
(`Conversion.purchaseEventID`: "<gateway>.<transaction id>")."""
import hashlib
import hmac
import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field


@dataclass
class Delivery:
    gateway: str
    account: str
    target: str
    headers: dict
    body: bytes
    transaction: str
    event_id: str = field(init=False)

    def __post_init__(self):
        self.event_id = "%s.%s" % (self.gateway, self.transaction)


def hex_hmac(algo, key, message):
    return hmac.new(key.encode(), message, algo).hexdigest()


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def brasilia(ts, fmt):
    return time.strftime(fmt, time.gmtime(ts - 3 * 3600))


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


def hotmart(tx, buyer, secret, click_id=None, account="main"):
    now = time.time()
    ms = int(now * 1000)
    origin = {"xcod": "cmpA"}
    if click_id:
        origin["sck"] = click_id
    body = dumps({
        "id": str(uuid.uuid4()), "creation_date": ms, "event": "PURCHASE_APPROVED", "version": "2.0.0",
        "data": {
            "product": {"id": 3865432, "name": "Curso Confeitaria Lucrativa"},
            "buyer": {"email": buyer["email"], "name": buyer["name"], "checkout_phone_code": "55",
                      "checkout_phone": buyer["phone"], "document": "123.456.789-09",
                      "address": {"city": "São Paulo", "state": "SP", "country_iso": "BR", "zipcode": "04101-300"}},
            "purchase": {"approved_date": ms, "order_date": ms - 60000, "status": "APPROVED", "transaction": tx,
                         "price": {"value": 197.0, "currency_value": "BRL"},
                         "full_price": {"value": 197.0, "currency_value": "BRL"},
                         "origin": origin, "buyer_ip": "203.0.113.45",
                         "payment": {"installments_number": 1, "type": "CREDIT_CARD"}},
        },
    })
    return Delivery("hotmart", account, "/webhooks/hotmart/%s" % account,
                    {"Content-Type": "application/json", "X-HOTMART-HOTTOK": secret}, body, tx)


def kiwify(tx, buyer, secret, click_id=None, account="main"):
    when = brasilia(time.time(), "%Y-%m-%d %H:%M")
    body = dumps({
        "order_id": tx, "order_ref": tx[-7:], "order_status": "paid", "webhook_event_type": "order_approved",
        "payment_method": "credit_card", "created_at": when, "updated_at": when, "approved_date": when,
        "Product": {"product_id": "8d1e4f7a-0b2c-4c9d-a3e5-6f7a8b9c0d1e", "product_name": "Método Planilha Rica"},
        "Customer": {"full_name": buyer["name"], "email": buyer["email"], "mobile": "+55" + buyer["phone"],
                     "ip": "203.0.113.46"},
        "Commissions": {"charge_amount": 14790, "product_base_price": 14790, "currency": "BRL"},
        "TrackingParameters": {"sck": click_id, "src": None, "utm_source": "facebook"},
    })
    sig = hex_hmac(hashlib.sha1, secret, body)
    return Delivery("kiwify", account, "/webhooks/kiwify/%s?signature=%s" % (account, sig),
                    {"Content-Type": "application/json"}, body, tx)


def eduzz(tx, buyer, secret, click_id=None, account="main"):
    now = time.time()
    utm = {"source": "facebook", "campaign": "horta"}
    if click_id:
        utm["content"] = click_id
    body = dumps({
        "id": "lq" + uuid.uuid4().hex[:10], "event": "myeduzz.invoice_paid", "sentDate": iso(now),
        "data": {"id": tx, "status": "paid", "utm": utm, "paidAt": iso(now), "createdAt": iso(now - 180),
                 "buyer": {"name": buyer["name"], "email": buyer["email"],
                           "cellphone": "(%s) %s" % (buyer["phone"][:2], buyer["phone"][2:])},
                 "price": {"currency": "BRL", "value": 297.9}, "paymentMethod": "creditCard",
                 "items": [{"productId": "2113458", "name": "Horta Vertical", "price": {"currency": "BRL", "value": 297.9}}]},
    })
    return Delivery("eduzz", account, "/webhooks/eduzz/%s" % account,
                    {"Content-Type": "application/json", "x-signature": hex_hmac(hashlib.sha256, secret, body)}, body, tx)


def monetizze(tx, buyer, secret, click_id=None, account="main"):
    now = time.time()
    fields = [("chave_unica", secret), ("produto[codigo]", "298341"), ("produto[nome]", "Inglês Fluente"),
              ("tipoPostback[codigo]", "2"), ("tipoEvento[codigo]", "2"), ("tipoEvento[descricao]", "Finalizada"),
              ("venda[codigo]", tx), ("venda[dataInicio]", brasilia(now - 90, "%Y-%m-%d %H:%M:%S")),
              ("venda[dataFinalizada]", brasilia(now, "%Y-%m-%d %H:%M:%S")), ("venda[status]", "Finalizada"),
              ("venda[valor]", "397.00"), ("venda[quantidade]", "1")]
    if click_id:
        fields.append(("venda[src]", click_id))
    fields += [("comprador[nome]", buyer["name"]), ("comprador[email]", buyer["email"]),
               ("comprador[telefone]", "(%s) %s" % (buyer["phone"][:2], buyer["phone"][2:])), ("comprador[ip]", "198.51.100.88")]
    body = urllib.parse.urlencode(fields, quote_via=urllib.parse.quote).encode()
    return Delivery("monetizze", account, "/webhooks/monetizze/%s" % account,
                    {"Content-Type": "application/x-www-form-urlencoded"}, body, tx)


def stripe_signed(obj, secret, t=None):
    body = dumps(obj)
    t = int(time.time()) if t is None else t
    sig = hex_hmac(hashlib.sha256, secret, ("%d." % t).encode() + body)
    return body, {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": "t=%d,v1=%s" % (t, sig)}


def stripe(tx, buyer, secret, click_id=None, account="main", t=None):
    now = int(time.time())
    metadata = {"campaign": "mentoria"}
    if click_id:
        metadata["click_id"] = click_id
    obj = {"id": "evt_" + uuid.uuid4().hex[:24], "object": "event", "api_version": "2024-06-20", "created": now,
           "livemode": True, "type": "checkout.session.completed",
           "data": {"object": {"id": "cs_live_" + uuid.uuid4().hex, "object": "checkout.session", "amount_total": 19700,
                               "currency": "brl", "mode": "payment", "payment_intent": tx, "payment_status": "paid",
                               "status": "complete", "livemode": True, "metadata": metadata,
                               "payment_method_types": ["card"],
                               "customer_details": {"email": buyer["email"], "name": buyer["name"],
                                                    "phone": "+55" + buyer["phone"]}}}}
    body, headers = stripe_signed(obj, secret, t)
    return Delivery("stripe", account, "/webhooks/stripe/%s" % account, headers, body, tx)


def mercadopago(tx, buyer, secret, click_id=None, account="main"):
    """Only a payment id travels; dispatchd fetches the payment (from the fake) to learn the sale."""
    body = dumps({"id": 12345, "live_mode": True, "type": "payment", "action": "payment.updated", "data": {"id": tx}})
    ts = str(int(time.time() * 1000))
    request_id = "req-" + uuid.uuid4().hex[:12]
    manifest = "id:%s;request-id:%s;ts:%s;" % (tx.lower(), request_id, ts)
    sig = hex_hmac(hashlib.sha256, secret, manifest.encode())
    return Delivery("mercadopago", account, "/webhooks/mercadopago/%s?data.id=%s&type=payment" % (account, tx),
                    {"Content-Type": "application/json", "x-signature": "ts=%s,v1=%s" % (ts, sig), "x-request-id": request_id},
                    body, tx)


BUILDERS = {"hotmart": hotmart, "kiwify": kiwify, "eduzz": eduzz, "monetizze": monetizze, "stripe": stripe,
            "mercadopago": mercadopago}


def transaction_id(gateway, n, run_tag):
    """A unique transaction id in the format each gateway uses."""
    if gateway == "mercadopago":
        return "9%s%07d" % (run_tag, n)
    prefix = {"hotmart": "HP", "kiwify": "kw-", "eduzz": "", "monetizze": "", "stripe": "pi_"}[gateway]
    return "%s%s%07d" % (prefix, run_tag, n)
