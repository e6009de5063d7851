"""The synthetic funnel: who clicks, who keeps the click id through the landing page, who leaves
a lead, who buys where, with which typos and from which network. Pure and seeded: the same seed
and size give the same people, so every run of scripts/attribution measures the same truth.

Shares (each drawn per person, independently unless said):
  returning visitors      12% make a second visit (a second ad click) before buying
  click id lost           15% of visits reach the checkout without it (a page without /t.js, a
                          checkout the script does not know, a link built by script)
  lead                    35% of visitors, 70% of buyers leave e-mail + phone on the landing page
  buyers                  10% of visitors
  carrier NAT             30% of visitors browse from one of 12 shared mobile-carrier addresses
  mobile                  80% use one of 6 common mobile user agents (so a user agent identifies no one)
  e-mail typo             6% of buyers type another e-mail at the checkout than in their lead
  phone typo              6% of buyers type one digit differently (independent of the e-mail typo)
  other network           25% of buyers pay from another address than the one they clicked from
  redelivery              5% of sales are delivered twice by the gateway (same body, same signature)
  PIX pending then paid   35% of buyers pay by PIX: the gateway's "waiting payment" event first,
                          the paid event later (two conversions, one Purchase)
  refund                  5% of buyers get their money back after the Purchase was sent
  late click              4% of buyers whose click id survived: their sale reaches Trackhub
                          while their click and landing-page events are still queued (the
                          workers are paused meanwhile), so the sale is processed first
  PIX never paid          2% of the visitors who do not buy generate a PIX and never pay it
Gateways: Hotmart, Kiwify, Eduzz, Monetizze and Stripe in turn (Mercado Pago needs its payments
API and is left out). Only Hotmart, Kiwify and Monetizze report the buyer's IP (scored matches)."""
import random
from dataclasses import dataclass, field

GATEWAYS = ["hotmart", "kiwify", "eduzz", "monetizze", "stripe"]
MOBILE_UAS = [
    "Mozilla/5.0 (Linux; Android 13; SM-A135M) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; moto g(20)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.0",
    "Mozilla/5.0 (Linux; Android 11; SM-A022M) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/440.0]",
]
NAT_ADDRESSES = ["177.%d.%d.1" % (40 + i // 4, i % 4) for i in range(12)]
DOMAINS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br", "icloud.com"]
DDDS = ["11", "21", "31", "41", "51", "61", "71", "81", "85", "19", "16", "27", "48", "62", "92"]


@dataclass
class Person:
    n: int
    ip: str
    ua: str
    visits: int
    kept: list                  # per visit: the click id survived the landing page
    lead: bool
    email: str
    phone: str
    buyer: bool = False
    gateway: str = ""
    checkout_email: str = ""
    checkout_phone: str = ""
    pay_ip: str = ""
    redelivered: bool = False
    pix: bool = False           # paid by PIX: a pending event before the paid one
    refunded: bool = False      # refunded after the Purchase
    late: bool = False          # the sale is processed before the click (late click)
    unpaid_pix: bool = False    # not a buyer: generated a PIX and never paid it
    click_ids: list = field(default_factory=list)     # filled by the run, one per visit
    session_ids: list = field(default_factory=list)


def typo_email(email, rng):
    user, domain = email.split("@")
    return user + "@" + {"gmail.com": "gmial.com", "hotmail.com": "hotmial.com"}.get(domain, "g" + domain)


def typo_phone(phone, rng):
    i = rng.randrange(len(phone) - 4, len(phone))
    return phone[:i] + str((int(phone[i]) + 1 + rng.randrange(8)) % 10) + phone[i + 1:]


def population(seed, visitors):
    rng = random.Random(seed)
    people = []
    for n in range(visitors):
        nat = rng.random() < 0.30
        ip = rng.choice(NAT_ADDRESSES) if nat else "187.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
        ua = rng.choice(MOBILE_UAS) if rng.random() < 0.80 else \
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.0 Safari/537.36" % (
                rng.randrange(110, 122), rng.randrange(1000, 9999))
        visits = 2 if rng.random() < 0.12 else 1
        buyer = rng.random() < 0.10
        email = "p%05d.%s@%s" % (n, "".join(rng.choice("abcdefghij") for _ in range(4)), rng.choice(DOMAINS))
        phone = "(%s) 9%04d-%04d" % (rng.choice(DDDS), rng.randrange(6000, 10000), rng.randrange(10000))
        p = Person(n=n, ip=ip, ua=ua, visits=visits, kept=[rng.random() >= 0.15 for _ in range(visits)],
                   lead=rng.random() < (0.70 if buyer else 0.35), email=email, phone=phone)
        if buyer:
            p.buyer = True
            p.gateway = GATEWAYS[len([q for q in people if q.buyer]) % len(GATEWAYS)]
            p.checkout_email = typo_email(email, rng) if rng.random() < 0.06 else email
            p.checkout_phone = typo_phone(phone, rng) if rng.random() < 0.06 else phone
            p.pay_ip = ("189.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
                        if rng.random() < 0.25 else ip)
            p.redelivered = rng.random() < 0.05
            p.pix = rng.random() < 0.35
            p.refunded = rng.random() < 0.05
            p.late = p.kept[-1] and rng.random() < 0.04
        else:
            p.unpaid_pix = rng.random() < 0.02
            if p.unpaid_pix:
                p.gateway = GATEWAYS[len([q for q in people if q.unpaid_pix]) % len(GATEWAYS)]
                p.checkout_email, p.checkout_phone, p.pay_ip = email, phone, ip
        people.append(p)
    return people
