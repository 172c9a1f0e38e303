"""The demo database: a catalogue and seven accounts, each showing one billing situation.

Dates are relative to `today`, so the latest bill is always about nine days old and due in
about twelve, a promotion always ends this month, and the past-due bill is always late.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months, month_end

DUE_AFTER_DAYS = 21

PLANS = (
    ("INT100", "internet", "Internet 100", 4999, "100 megabits", None, None),
    ("INT300", "internet", "Internet 300", 6499, "300 megabits", None, None),
    ("INT1G", "internet", "Gig Internet", 7999, "1 gigabit", None, None),
    ("TVBASIC", "tv", "TV Basic", 2999, "local channels", "basic", None),
    ("TVPREF", "tv", "TV Preferred", 5999, "150 channels", "preferred", None),
    ("TVULT", "tv", "TV Ultimate", 8999, "250 channels with sports", "ultimate", None),
    ("MOB1", "mobile", "Mobile Unlimited", 3000, "1 line, unlimited data", None, 1),
    ("MOB2", "mobile", "Mobile Unlimited for Two", 5500, "2 lines, unlimited data", None, 2),
    ("MOBGIG", "mobile", "Mobile by the Gig", 1500, "1 line, pay per gigabyte", None, 1),
)
ADD_ONS = (
    ("SECURITY", "Home security monitoring", 2499, "Monitored alarm and cameras"),
    ("MOVIES", "Premium movie channels", 1599, "Four premium movie channels"),
    ("SPORTS", "Sports pack", 1199, "Regional and national sports networks"),
    ("STREAM", "Streaming bundle", 999, "Two streaming services, billed with your plan"),
    ("INTL", "International channels", 799, "Channels in Spanish, Korean and more"),
)


@dataclass(frozen=True, slots=True)
class Item:
    """A statement line as seeded: category, stable reference, text, cents."""

    category: str
    ref: str
    description: str
    cents: int
    ends: date | None = None
    prorated: bool = False


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """One demo account and the situation it shows (the README table is made of these)."""

    number: str
    pin: str
    zip_code: str
    name: str
    phone: str
    address: str
    shows: str
    lang: str = "en"
    card: tuple[str, str] | None = None
    """(brand, last four) of the card on file; None means a checking account on autopay."""
    plans: tuple[str, ...] = ()
    add_ons: tuple[str, ...] = ()
    locked: bool = False
    paperless: bool = False
    equipment: tuple[tuple[str, str, str, str, int], ...] = ()
    """(kind, model, rented|owned, serial last four, monthly cents)."""
    statements: tuple[tuple[Item, ...], ...] = ()
    """Oldest first; the last is the latest."""
    paid: int = 0
    """How many of the oldest statements were paid in full."""
    upgraded_from: str | None = None
    """A plan switched from twelve days before the latest bill (prorated on it)."""
    disputed: str | None = None
    """The reference of a latest-bill line with an open dispute."""

    @property
    def email(self) -> str:
        """A demo address made from the customer's name."""
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return plain.lower().replace(" ", ".") + "@example.com"


def _plan(code: str) -> Item:
    name, cents = next((p[2], p[3]) for p in PLANS if p[0] == code)
    return Item("plan", f"plan:{code}", name, cents)


def _add_on(code: str) -> Item:
    name, cents = next((a[1], a[2]) for a in ADD_ONS if a[0] == code)
    return Item("add_on", f"add_on:{code}", name, cents)


def _tax(cents: int) -> Item:
    return Item("tax_fee", "tax:all", "Taxes and fees", cents)


MODEM_RENTAL = Item("equipment", "equipment:modem", "Modem rental", 1500)
BOX_RENTAL = Item("equipment", "equipment:cable_box", "Cable box rental", 999)


def latest_issue(today: date) -> date:
    """The latest bill's issue date: nine days ago, on a cycle day no later than the 28th."""
    issued = today - timedelta(days=9)
    return issued.replace(day=min(issued.day, 28))


def demo_accounts(today: date) -> tuple[DemoAccount, ...]:
    """The seven demo accounts, with dates relative to `today`."""
    latest = latest_issue(today)
    promo_end = month_end(today)
    mobile_promo_end = add_months(latest, -1) + timedelta(days=10)
    new_customer = Item(
        "promotion", "promo:NEWCUST", "New customer discount", -2000, ends=promo_end
    )
    mobile_promo = Item(
        "promotion", "promo:MOBILE", "Mobile line discount", -1000, ends=mobile_promo_end
    )
    return (
        DemoAccount(
            "10000001",
            "1234",
            "10001",
            "Alex Rivera",
            "2125550101",
            "350 Fifth Avenue, Apartment 5B, New York, NY 10001",
            "Current: $89.97 due in about 12 days; internet and TV; Visa ending 4242 on file",
            card=("Visa", "4242"),
            plans=("INT100", "TVBASIC"),
            equipment=(("modem", "CM-1000 cable modem", "owned", "7731", 0),),
            statements=(
                (_plan("INT100"), _plan("TVBASIC"), _tax(949)),
                (_plan("INT100"), _plan("TVBASIC"), _tax(949)),
                (_plan("INT100"), _plan("TVBASIC"), _tax(999)),
            ),
            paid=2,
        ),
        DemoAccount(
            "10000002",
            "2580",
            "60601",
            "Jordan Lee",
            "3125550102",
            "100 North LaSalle Street, Chicago, IL 60601",
            "Past due: last month unpaid, a $10.00 late fee on the latest bill",
            card=("Mastercard", "5454"),
            plans=("INT300",),
            equipment=(("modem", "Gateway G3 modem", "rented", "5190", 1500),),
            statements=(
                (_plan("INT300"), MODEM_RENTAL, _tax(720)),
                (_plan("INT300"), MODEM_RENTAL, _tax(720)),
                (
                    _plan("INT300"),
                    MODEM_RENTAL,
                    _tax(720),
                    Item("late_fee", "late_fee", "Late payment fee", 1000),
                ),
            ),
            paid=1,
        ),
        DemoAccount(
            "10000003",
            "3690",
            "94103",
            "Sam Okafor",
            "4155550103",
            "1455 Market Street, San Francisco, CA 94103",
            "Autopay from a checking account ending 6789; a streaming add-on new this month",
            plans=("INT1G", "MOB2"),
            add_ons=("STREAM",),
            paperless=True,
            equipment=(("router", "Mesh R7 router", "owned", "2468", 0),),
            statements=(
                (_plan("INT1G"), _plan("MOB2"), _tax(1140)),
                (_plan("INT1G"), _plan("MOB2"), _tax(1140)),
                (_plan("INT1G"), _plan("MOB2"), _add_on("STREAM"), _tax(1210)),
            ),
            paid=2,
        ),
        DemoAccount(
            "10000004",
            "4826",
            "73301",
            "Priya Shah",
            "5125550104",
            "500 East Cesar Chavez Street, Austin, TX 73301",
            "An open dispute about a $49.00 technician visit fee",
            card=("Discover", "1117"),
            disputed="one_time:visit",
            plans=("INT300", "TVPREF"),
            equipment=(("cable_box", "CB-200 cable box", "owned", "6604", 0),),
            statements=(
                (_plan("INT300"), _plan("TVPREF"), _tax(1250)),
                (_plan("INT300"), _plan("TVPREF"), _tax(1250)),
                (
                    _plan("INT300"),
                    _plan("TVPREF"),
                    _tax(1250),
                    Item("one_time", "one_time:visit", "Technician visit fee", 4900),
                ),
            ),
            paid=2,
        ),
        DemoAccount(
            "10000005",
            "5173",
            "33101",
            "Min-jun Park",
            "3055550105",
            "200 Biscayne Boulevard Way, Miami, FL 33101",
            f"A $20.00 promotion ending {promo_end.isoformat()} (this month); sports pack added",
            lang="ko",
            card=("American Express", "0005"),
            plans=("INT300", "TVBASIC"),
            add_ons=("SPORTS",),
            statements=(
                (_plan("INT300"), _plan("TVBASIC"), new_customer, _tax(810)),
                (_plan("INT300"), _plan("TVBASIC"), new_customer, _tax(810)),
                (_plan("INT300"), _plan("TVBASIC"), _add_on("SPORTS"), new_customer, _tax(890)),
            ),
            paid=2,
        ),
        DemoAccount(
            "10000006",
            "6047",
            "02108",
            "Lucía Fernández",
            "6175550106",
            "24 Beacon Street, Boston, MA 02108",
            "Mobile line, rented modem and cable box; upgraded internet (prorated); "
            "a promotion ended",
            lang="es",
            card=("Visa", "1111"),
            upgraded_from="INT100",
            plans=("INT300", "TVPREF", "MOB1"),
            equipment=(
                ("modem", "Gateway G3 modem", "rented", "4410", 1500),
                ("cable_box", "CB-200 cable box", "rented", "8826", 999),
                ("phone", "Smartphone S9", "owned", "3307", 0),
            ),
            statements=(
                (
                    _plan("INT100"),
                    _plan("TVPREF"),
                    _plan("MOB1"),
                    mobile_promo,
                    MODEM_RENTAL,
                    BOX_RENTAL,
                    _tax(1520),
                ),
                (
                    _plan("INT100"),
                    _plan("TVPREF"),
                    _plan("MOB1"),
                    mobile_promo,
                    MODEM_RENTAL,
                    BOX_RENTAL,
                    _tax(1520),
                ),
                (
                    _plan("INT300"),
                    Item(
                        "plan",
                        "prorate:INT300",
                        "Internet 300 upgrade, last 12 days of the previous period",
                        600,
                        prorated=True,
                    ),
                    _plan("TVPREF"),
                    _plan("MOB1"),
                    MODEM_RENTAL,
                    BOX_RENTAL,
                    _tax(1640),
                ),
            ),
            paid=2,
        ),
        DemoAccount(
            "10000007",
            "7395",
            "98101",
            "Chris Morgan",
            "2065550107",
            "400 Pine Street, Seattle, WA 98101",
            "Locked after 3 wrong PINs: only an agent can unlock it",
            locked=True,
            card=("Mastercard", "4444"),
            plans=("INT100",),
            statements=(
                (_plan("INT100"), _tax(510)),
                (_plan("INT100"), _tax(510)),
                (
                    _plan("INT100"),
                    Item("credit", "credit:outage", "Service outage credit", -500),
                    _tax(510),
                ),
            ),
            paid=2,
        ),
    )
