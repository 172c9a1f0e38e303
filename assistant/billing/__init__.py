"""Billing: accounts, payments, plans and bills in one SQLite file, behind `BillingService`."""

from __future__ import annotations

from .errors import MESSAGES, BillingError
from .models import (
    CHANGE_KINDS,
    DISPUTE_REASONS,
    Account,
    AddOn,
    AgentRequest,
    AuditEntry,
    Autopay,
    BankInput,
    CardInput,
    Change,
    Dispute,
    Equipment,
    EquipmentRequest,
    Explanation,
    LineItem,
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
from .service import BillingService
from .store import default_db_path
from .validation import parse_amount

__all__ = [
    "CHANGE_KINDS",
    "DISPUTE_REASONS",
    "MESSAGES",
    "Account",
    "AddOn",
    "AgentRequest",
    "AuditEntry",
    "Autopay",
    "BankInput",
    "BillingError",
    "BillingService",
    "CardInput",
    "Change",
    "Dispute",
    "Equipment",
    "EquipmentRequest",
    "Explanation",
    "LineItem",
    "Payment",
    "PaymentMethod",
    "Plan",
    "PlanDetails",
    "PlanQuote",
    "Receipt",
    "Statement",
    "Summary",
    "TechnicianVisit",
    "default_db_path",
    "parse_amount",
]
