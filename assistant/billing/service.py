"""The billing service: the only door the dialog session uses into accounts and money.

Each method is one caller request. Nothing here reads a clock: times come in as `now`
(naive UTC) or `today`, so a call can be replayed exactly in a test.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from . import accounts, explain, methods, payments, plans, statements, support
from .models import (
    Account,
    AddOn,
    AgentRequest,
    AuditEntry,
    Autopay,
    BankInput,
    CardInput,
    Dispute,
    Equipment,
    EquipmentRequest,
    Explanation,
    Payment,
    PaymentMethod,
    Plan,
    PlanDetails,
    PlanQuote,
    Receipt,
    Statement,
    Summary,
    TechnicianVisit,
)
from .seeding import seed
from .store import Store, default_db_path, read_time


class BillingService:
    """Accounts, payments, plans and bills over one SQLite database."""

    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self._today = today
        """The day the service was opened: the time of audit entries for `add_bank`
        and `add_card` when the caller gives none."""

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        today: date | None = None,
        demo: bool = True,
        rng: random.Random | None = None,
    ) -> BillingService:
        """Open (creating and migrating if needed) the database file.

        Args:
            path: the file; `default_db_path()` when None.
            today: the day demo dates are relative to (default: the system date).
            demo: seed the demo accounts into a database that has no accounts yet.
            rng: source of reference numbers; a seeded one makes tests repeatable.
        """
        store = Store.open(path or default_db_path(), rng)
        return cls._ready(store, today or date.today(), demo)

    @classmethod
    def open_memory(
        cls, *, today: date | None = None, demo: bool = True, rng: random.Random | None = None
    ) -> BillingService:
        """A throwaway in-memory database, seeded like a new file."""
        return cls._ready(Store.memory(rng), today or date.today(), demo)

    @classmethod
    def _ready(cls, store: Store, today: date, demo: bool) -> BillingService:
        if demo and store.scalar("SELECT count(*) FROM accounts") == 0:
            seed(store, today)
        return cls(store, today)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> BillingService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Who is calling

    def authenticate(self, identifier: str, secret: str, now: datetime) -> Account:
        """Sign in by account number or phone, and PIN or ZIP; see `accounts.authenticate`."""
        return accounts.authenticate(self.store, identifier, secret, now)

    def agent_unlock(self, number: str, now: datetime) -> None:
        """Unlock an account locked by wrong PINs."""
        accounts.agent_unlock(self.store, number, now)

    def account(self, number: str) -> Account:
        """The account record."""
        return accounts.get_account(self.store, number)

    def set_paperless(self, number: str, on: bool, now: datetime) -> None:
        """Paper statements off (True) or on (False)."""
        accounts.set_paperless(self.store, number, on, now)

    def update_contact(
        self, number: str, now: datetime, *, email: str | None = None, phone: str | None = None
    ) -> Account:
        """Change the email and/or phone on file."""
        return accounts.update_contact(self.store, number, now, email=email, phone=phone)

    # Money

    def summary(self, number: str, today: date) -> Summary:
        """Balance, due date, past due, autopay and last payment."""
        return payments.summary(self.store, number, today)

    def history(self, number: str, limit: int = 5) -> list[Payment]:
        """The latest payments, newest first."""
        return payments.history(self.store, number, limit)

    def pay(
        self,
        number: str,
        amount: Decimal,
        *,
        idempotency_key: str,
        now: datetime,
        method_id: int | None = None,
        card: CardInput | None = None,
        bank: BankInput | None = None,
        save_method: bool = False,
    ) -> Receipt:
        """Take a payment once per idempotency key; see `payments.pay`."""
        return payments.pay(
            self.store,
            number,
            amount,
            idempotency_key=idempotency_key,
            now=now,
            method_id=method_id,
            card=card,
            bank=bank,
            save_method=save_method,
        )

    def methods(self, number: str) -> list[PaymentMethod]:
        """Saved payment methods, oldest first."""
        return methods.list_methods(self.store, number)

    def add_card(
        self,
        number: str,
        card: CardInput,
        today: date,
        *,
        default: bool = False,
        now: datetime | None = None,
    ) -> PaymentMethod:
        """Check and save a card (brand, last four and expiry only)."""
        when = now or datetime.combine(today, time())
        return methods.add_card(self.store, number, card, today, when, default=default)

    def add_bank(
        self,
        number: str,
        bank: BankInput,
        *,
        default: bool = False,
        now: datetime | None = None,
    ) -> PaymentMethod:
        """Check and save a bank account (type and last four only)."""
        when = now or datetime.combine(self._today, time())
        return methods.add_bank(self.store, number, bank, when, default=default)

    def remove_method(self, number: str, method_id: int, now: datetime) -> None:
        """Remove a saved method (not the one autopay uses)."""
        methods.remove_method(self.store, number, method_id, now)

    def set_default_method(self, number: str, method_id: int, now: datetime) -> None:
        """Make a saved method the default."""
        methods.set_default_method(self.store, number, method_id, now)

    def enrol_autopay(self, number: str, method_id: int, now: datetime) -> Autopay:
        """Pay every statement on its due date from a saved method."""
        return methods.enrol_autopay(self.store, number, method_id, now)

    def cancel_autopay(self, number: str, now: datetime) -> None:
        """Stop automatic payments."""
        methods.cancel_autopay(self.store, number, now)

    def autopay(self, number: str) -> Autopay | None:
        """The active autopay enrolment, if any."""
        return methods.autopay(self.store, number)

    # Plans, add-ons, equipment

    def plan_details(self, number: str) -> PlanDetails:
        """Plans, active add-ons, equipment and the monthly total."""
        return plans.plan_details(self.store, number)

    def available_plans(self, number: str, kind: str | None = None) -> list[Plan]:
        """Plans the account could switch to (same kinds of service, current ones excluded)."""
        return plans.available_plans(self.store, number, kind)

    def quote_plan_change(self, number: str, plan_code: str, today: date) -> PlanQuote:
        """Price difference and start date of a plan switch."""
        return plans.quote_plan_change(self.store, number, plan_code, today)

    def change_plan(self, number: str, plan_code: str, now: datetime) -> PlanQuote:
        """Switch plans from the next billing period."""
        return plans.change_plan(self.store, number, plan_code, now)

    def add_ons(self, number: str) -> list[AddOn]:
        """The add-on catalogue with this account's active flags."""
        return plans.add_ons(self.store, number)

    def add_add_on(self, number: str, code: str, now: datetime) -> AddOn:
        """Start an add-on."""
        return plans.add_add_on(self.store, number, code, now)

    def remove_add_on(self, number: str, code: str, now: datetime) -> AddOn:
        """End an add-on."""
        return plans.remove_add_on(self.store, number, code, now)

    def equipment(self, number: str) -> list[Equipment]:
        """Devices at the customer's home."""
        return plans.equipment(self.store, number)

    def request_equipment(
        self,
        number: str,
        action: str,
        now: datetime,
        *,
        equipment_id: int | None = None,
        kind: str | None = None,
    ) -> EquipmentRequest:
        """Swap, return or order a device; see `plans.request_equipment`."""
        return plans.request_equipment(
            self.store, number, action, now, equipment_id=equipment_id, kind=kind
        )

    # Bills

    def latest_statement(self, number: str) -> Statement:
        """The newest statement with its line items."""
        return statements.latest_statement(self.store, number)

    def open_dispute(self, number: str, line_item_id: int, reason: str, now: datetime) -> Dispute:
        """Dispute one charge."""
        return statements.open_dispute(self.store, number, line_item_id, reason, now)

    def disputes(self, number: str) -> list[Dispute]:
        """The account's disputes, newest first."""
        return statements.disputes(self.store, number)

    def explain(self, number: str) -> Explanation:
        """What changed between the previous bill and the latest one, and why."""
        return explain.explain(self.store, number)

    # People

    def request_agent(
        self, number: str | None, reason: str, summary: str, now: datetime
    ) -> AgentRequest:
        """Queue for a live agent, with a wait estimate."""
        return support.request_agent(self.store, number, reason, summary, now)

    def request_technician(self, number: str, topic: str, now: datetime) -> TechnicianVisit:
        """Book a technician visit."""
        return support.request_technician(self.store, number, topic, now)

    def audit_log(self, number: str | None = None) -> list[AuditEntry]:
        """The audit log, oldest first, for one account or all."""
        where, params = ("WHERE account = ?", (number,)) if number is not None else ("", ())
        rows = self.store.all(f"SELECT * FROM audit_log {where} ORDER BY id", params)
        return [
            AuditEntry(
                id=row["id"],
                at=read_time(row["at"]),
                account=row["account"],
                action=row["action"],
                detail=row["detail"],
                actor=row["actor"],
            )
            for row in rows
        ]
