"""The one error the billing service raises for anything a caller can get wrong.

The session turns `code` into the prompt "error.<code>" and fills it with `params`, so codes
are stable and params hold display values only, never a secret.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "not_found": "No such account or record.",
    "bad_credentials": "The account and PIN or ZIP code do not match.",
    "locked": "The account is locked after too many failed attempts; an agent can unlock it.",
    "invalid_amount": "The amount must be more than zero, with at most two decimals.",
    "no_balance": "Nothing is owed on this account.",
    "amount_too_high": "The amount is more than the balance allows.",
    "card_invalid": "The card number is not valid.",
    "card_expired": "The card has expired.",
    "bank_routing_invalid": "The bank routing number is not valid.",
    "bank_account_invalid": "The bank account number is not valid.",
    "method_not_found": "No such payment method on this account.",
    "method_in_use": "The payment method is used by automatic payments.",
    "autopay_active": "Automatic payments are already on.",
    "autopay_inactive": "Automatic payments are not on.",
    "plan_not_found": "No such plan for this account.",
    "same_plan": "The account already has that plan.",
    "add_on_not_found": "No such add-on.",
    "add_on_active": "The add-on is already active.",
    "add_on_inactive": "The add-on is not active.",
    "equipment_not_found": "No such equipment on this account.",
    "line_item_not_found": "No such charge on this account's statements.",
    "dispute_open": "A dispute is already open for that charge.",
    "invalid_email": "The email address is not valid.",
    "invalid_phone": "The phone number is not valid or belongs to another account.",
    "invalid_reason": "The dispute reason is not one we handle.",
    "duplicate_request": "That payment reference was already used by another account.",
}
"""Every error code, with a plain English message for logs and developers."""


class BillingError(Exception):
    """A request the service refuses, with a stable code and display values."""

    code: str
    """Stable code; the session shows the prompt "error.<code>"."""

    params: dict[str, str]
    """Display values for the prompt (amounts, dates, labels), never a secret."""

    def __init__(self, code: str, **params: str) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown billing error code {code!r}")
        self.code = code
        self.params = dict(params)
        detail = ", ".join(f"{key}={value}" for key, value in self.params.items())
        super().__init__(f"{code}: {MESSAGES[code]}" + (f" ({detail})" if detail else ""))
