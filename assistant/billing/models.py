"""What the billing service hands out: small frozen records, no behaviour beyond labels.

Money is `Decimal` with two places, dates are `date`, times are naive UTC `datetime`.
None of these ever holds a full card or bank number, a CVV or a PIN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

DISPUTE_REASONS = ("erroneous_charge", "overbilling", "unclear_bill", "payment_disagreement")
"""The reasons a caller may give for disputing a charge."""

CHANGE_KINDS = (
    "promotion_ended",
    "promotion_ending",
    "new_add_on",
    "removed_add_on",
    "late_fee",
    "prorated",
    "plan_change",
    "credit",
    "one_time",
    "price_change",
)
"""What `Change.kind` may be; only `promotion_ending` looks ahead rather than back."""


@dataclass(frozen=True, slots=True)
class Account:
    """A customer account as the caller may hear it read back."""

    number: str
    """Eight digits."""
    name: str
    phone: str
    """Ten digits, no punctuation."""
    email: str
    zip_code: str
    address: str
    paperless: bool
    locked: bool
    lang: str
    """Preferred language: en, es or ko."""


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    """A tokenized card or bank account: only brand, last four and expiry are kept."""

    id: int
    kind: str
    """"card" or "bank"."""
    brand: str
    """Card network ("Visa") or bank account type ("Checking account")."""
    last4: str
    exp_month: int | None
    exp_year: int | None
    is_default: bool

    @property
    def label(self) -> str:
        """How the method is read out: "Visa ending 4242"."""
        return f"{self.brand} ending {self.last4}"


@dataclass(frozen=True, slots=True)
class Autopay:
    """Automatic payment of each statement on its due date."""

    method: PaymentMethod
    since: date


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment received, as it appears in the history."""

    confirmation: str
    """"P" and nine digits."""
    posted: datetime
    amount: Decimal
    method_label: str
    last4: str
    status: str
    """"posted", "pending", "failed" or "reversed"."""


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the balance prompt needs, computed for one day."""

    account: Account
    balance: Decimal
    """All charges billed less all payments; negative is a credit."""
    minimum_due: Decimal
    due_date: date
    past_due: Decimal
    """The part of the balance whose due date has passed."""
    late_fees: Decimal
    """Late fees on the latest statement."""
    autopay: Autopay | None
    last_payment: Payment | None
    statement_total: Decimal
    """The latest statement's total."""


@dataclass(frozen=True, slots=True)
class CardInput:
    """A card as keyed by the caller; used to tokenize, never stored or logged."""

    number: str
    exp_month: int
    exp_year: int
    """Four digits, or two (taken as 20xx)."""

    def __repr__(self) -> str:
        return f"CardInput(number='****', exp_month={self.exp_month}, exp_year={self.exp_year})"


@dataclass(frozen=True, slots=True)
class BankInput:
    """A bank account as keyed by the caller; used to tokenize, never stored or logged."""

    routing: str
    account: str
    kind: str = "checking"
    """"checking" or "savings"."""

    def __repr__(self) -> str:
        return f"BankInput(routing='****', account='****', kind={self.kind!r})"


@dataclass(frozen=True, slots=True)
class Receipt:
    """The outcome of a payment; a retried request gets the first receipt back."""

    confirmation: str
    amount: Decimal
    method: PaymentMethod
    new_balance: Decimal
    """The balance right after this payment posted."""
    posted: datetime
    replayed: bool
    """True when the idempotency key had been seen: nothing was charged this time."""


@dataclass(frozen=True, slots=True)
class Plan:
    """A service plan in the catalogue."""

    code: str
    kind: str
    """"internet", "tv" or "mobile"."""
    name: str
    monthly_price: Decimal
    description: str
    """What the plan gives, as read out: "300 megabits", "150 channels", "2 lines"."""


@dataclass(frozen=True, slots=True)
class AddOn:
    """An extra (premium channels, streaming, home security) and whether the account has it."""

    code: str
    name: str
    monthly_price: Decimal
    active: bool


@dataclass(frozen=True, slots=True)
class Equipment:
    """A device at the customer's home."""

    id: int
    kind: str
    """"modem", "router", "cable_box" or "phone"."""
    model: str
    ownership: str
    """"rented" or "owned"."""
    serial_last4: str
    monthly_fee: Decimal


@dataclass(frozen=True, slots=True)
class PlanDetails:
    """What the account pays for each month."""

    plans: list[Plan]
    add_ons: list[AddOn]
    """The active add-ons only."""
    equipment: list[Equipment]
    monthly_total: Decimal
    """Plans, active add-ons and equipment rental, before taxes."""


@dataclass(frozen=True, slots=True)
class PlanQuote:
    """What a plan change costs and when it starts."""

    current: Plan
    new: Plan
    monthly_difference: Decimal
    """New price less current price; negative saves money."""
    effective_date: date
    """The start of the next billing period."""


@dataclass(frozen=True, slots=True)
class EquipmentRequest:
    """A swap, return or order of a device, to be fulfilled by the warehouse."""

    reference: str
    """"E" and seven digits."""
    action: str
    """"swap", "return" or "order"."""
    kind: str
    status: str
    created: datetime


@dataclass(frozen=True, slots=True)
class LineItem:
    """One charge or credit on a statement."""

    id: int
    category: str
    """plan, add_on, equipment, tax_fee, one_time, credit, promotion or late_fee."""
    description: str
    amount: Decimal
    """Negative for credits and promotions."""
    ends: date | None
    """For promotions: the last day the discount applies."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One monthly bill, for service from `period_start` to `period_end`."""

    id: int
    period_start: date
    period_end: date
    issued: date
    due_date: date
    total: Decimal
    items: list[LineItem]


@dataclass(frozen=True, slots=True)
class Dispute:
    """A charge the caller disputes, followed up by the billing team."""

    case_number: str
    """"D" and seven digits."""
    line_item: LineItem
    reason: str
    """One of `DISPUTE_REASONS`."""
    status: str
    """"open", "resolved" or "rejected"."""
    opened: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class Change:
    """One reason the latest bill differs from the previous one."""

    kind: str
    """One of `CHANGE_KINDS`."""
    description: str
    amount: Decimal
    """Effect on the bill: positive raised it. For promotion_ending, the coming increase."""
    when: date | None
    """For promotions: the day it ended or ends."""


@dataclass(frozen=True, slots=True)
class Explanation:
    """The latest statement compared with the one before it."""

    statement: Statement
    previous_total: Decimal
    difference: Decimal
    """Latest total less previous total."""
    changes: list[Change]
    """Every change but promotion_ending adds up to `difference`."""


@dataclass(frozen=True, slots=True)
class AgentRequest:
    """A request to speak to a person, queued with an estimated wait."""

    reference: str
    """"A" and seven digits."""
    reason: str
    wait_minutes: int
    created: datetime


@dataclass(frozen=True, slots=True)
class TechnicianVisit:
    """A booked technician visit: a four-hour window starting at `window_start`."""

    reference: str
    """"T" and seven digits."""
    topic: str
    window_start: datetime
    created: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the append-only audit log: who changed what, when. No secrets."""

    id: int
    at: datetime
    account: str | None
    action: str
    """A dotted verb: "payment.posted", "auth.failed", "plan.changed"."""
    detail: str
    actor: str = "caller"
    """"caller", "agent" or "system"."""
