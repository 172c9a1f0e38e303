"""Card, bank, amount and contact checks, with known numbers and generated ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.billing import BankInput, BillingError, CardInput, parse_amount
from assistant.billing.validation import (
    card_brand,
    check_amount,
    luhn_valid,
    normalise_email,
    normalise_phone,
    routing_valid,
    validate_bank,
    validate_card,
)

TODAY = date(2025, 6, 15)
digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=20)


def error_code(call: object) -> str:
    """The code of the BillingError a zero-argument callable raises."""
    assert callable(call)
    with pytest.raises(BillingError) as raised:
        call()
    return raised.value.code


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "Visa"),
        ("4222222222222", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("378282246310005", "American Express"),
        ("371449635398431", "American Express"),
        ("6011111111111117", "Discover"),
        ("6500000000000002", "Discover"),
    ],
)
def test_published_test_cards_are_valid_with_their_brand(number: str, brand: str) -> None:
    assert luhn_valid(number)
    details = validate_card(CardInput(number, 12, 2030), TODAY)
    assert (details.brand, details.last4) == (brand, number[-4:])


@pytest.mark.parametrize("prefix", ["2220", "2721", "56", "50", "36", "6012", "1", "9"])
def test_networks_we_do_not_take_have_no_brand(prefix: str) -> None:
    assert card_brand(prefix + "0" * 12) is None


def test_card_number_may_be_keyed_with_spaces_and_dashes() -> None:
    details = validate_card(CardInput("4242 4242-4242 4242", 1, 30), TODAY)
    assert details.exp_year == 2030


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424241",  # check digit
        "424242424242",  # too short
        "42424242424242424242",  # too long
        "4242x24242424242",  # not a digit
        "5610591081018250",  # Luhn-valid, unknown network
        "37828224631003",  # Luhn-valid, but Amex has 15 digits
        "",
    ],
)
def test_bad_card_numbers_are_card_invalid(number: str) -> None:
    assert error_code(lambda: validate_card(CardInput(number, 12, 2030), TODAY)) == "card_invalid"


def test_expiry_this_month_is_accepted_last_month_is_expired() -> None:
    assert validate_card(CardInput("4242424242424242", 6, 2025), TODAY).exp_month == 6
    with pytest.raises(BillingError) as raised:
        validate_card(CardInput("4242424242424242", 5, 25), TODAY)
    assert raised.value.code == "card_expired"
    assert raised.value.params == {"expiry": "05/25"}


def test_month_thirteen_is_card_invalid() -> None:
    assert error_code(lambda: validate_card(CardInput("4242424242424242", 13, 2030), TODAY)) == (
        "card_invalid"
    )


def test_card_input_never_shows_its_number() -> None:
    card = CardInput("4242424242424242", 12, 2030)
    bank = BankInput("021000021", "000123456789")
    assert "4242424242424242" not in repr(card) and "000123456789" not in repr(bank)
    assert "021000021" not in str(bank)


@pytest.mark.parametrize("routing", ["021000021", "011000015", "122105155", "026009593"])
def test_real_routing_numbers_are_valid(routing: str) -> None:
    assert routing_valid(routing)
    assert validate_bank(BankInput(routing, "123456789")).brand == "Checking account"


@pytest.mark.parametrize(
    "routing", ["021000022", "02100002", "0210000210", "abcdefghi", "991000017"]
)
def test_bad_routing_numbers(routing: str) -> None:
    assert error_code(lambda: validate_bank(BankInput(routing, "123456789"))) == (
        "bank_routing_invalid"
    )


@pytest.mark.parametrize(
    ("account", "kind"),
    [("123", "checking"), ("1" * 18, "checking"), ("12a4", "checking"), ("123456", "brokerage")],
)
def test_bad_bank_accounts(account: str, kind: str) -> None:
    assert error_code(lambda: validate_bank(BankInput("021000021", account, kind))) == (
        "bank_account_invalid"
    )


def test_savings_account_keeps_type_and_last_four() -> None:
    details = validate_bank(BankInput("021000021", "9876543210", "savings"))
    assert (details.brand, details.last4) == ("Savings account", "3210")


@given(payload=digit_strings)
def test_exactly_one_check_digit_completes_a_card_number(payload: str) -> None:
    assert sum(luhn_valid(payload + digit) for digit in "0123456789") == 1


@given(payload=digit_strings, data=st.data())
def test_luhn_catches_every_single_digit_error(payload: str, data: st.DataObject) -> None:
    number = next(payload + d for d in "0123456789" if luhn_valid(payload + d))
    position = data.draw(st.integers(0, len(number) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    assert not luhn_valid(number[:position] + wrong + number[position + 1 :])


@given(
    prefix=st.sampled_from([f"{p:02d}" for p in (*range(13), *range(21, 33), *range(61, 73), 80)]),
    middle=st.text(alphabet="0123456789", min_size=6, max_size=6),
    data=st.data(),
)
def test_routing_check_digit_is_unique_and_catches_single_errors(
    prefix: str, middle: str, data: st.DataObject
) -> None:
    candidates = [prefix + middle + d for d in "0123456789" if routing_valid(prefix + middle + d)]
    assert len(candidates) == 1
    routing = candidates[0]
    position = data.draw(st.integers(2, 8))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != routing[position]]))
    assert not routing_valid(routing[:position] + wrong + routing[position + 1 :])


@given(st.text(max_size=12))
def test_routing_valid_never_raises(text: str) -> None:
    assert routing_valid(text) in (True, False)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("45", "45.00"),
        ("45.5", "45.50"),
        ("$45.50", "45.50"),
        ("1,045.00", "1045.00"),
        (" $ 1,234,567.8 ", "1234567.80"),
        (".99", "0.99"),
        ("0", "0.00"),
    ],
)
def test_parse_amount_examples(text: str, amount: str) -> None:
    parsed = parse_amount(text)
    assert parsed == Decimal(amount)
    assert parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text", ["", "$", "-5", "45.555", "1,04,5", "12,34", "45.", "4 5", "forty", "1e3", "NaN", "$-1"]
)
def test_parse_amount_refuses_anything_else(text: str) -> None:
    assert error_code(lambda: parse_amount(text)) == "invalid_amount"


@given(cents=st.integers(0, 10**9), dollar=st.booleans(), commas=st.booleans())
def test_parse_amount_reads_back_what_is_written(cents: int, dollar: bool, commas: bool) -> None:
    amount = Decimal(cents) / 100
    text = f"{amount:,.2f}" if commas else f"{amount:.2f}"
    assert parse_amount(("$" if dollar else "") + text) == amount


@given(st.text(max_size=20))
def test_parse_amount_gives_cents_or_a_domain_error(text: str) -> None:
    try:
        parsed = parse_amount(text)
    except BillingError as error:
        assert error.code == "invalid_amount"
    else:
        assert parsed >= 0 and parsed == parsed.quantize(Decimal("0.01"))


@pytest.mark.parametrize("amount", ["0", "-1", "1.234", "NaN", "Infinity", "-0.01"])
def test_check_amount_refuses_non_payable_amounts(amount: str) -> None:
    assert error_code(lambda: check_amount(Decimal(amount))) == "invalid_amount"


def test_check_amount_accepts_trailing_zeros() -> None:
    assert check_amount(Decimal("12.500")) == Decimal("12.50")


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("(212) 555-0101", "2125550101"),
        ("+1 415 555 0103", "4155550103"),
        ("312.555.0102", "3125550102"),
    ],
)
def test_phone_numbers_are_normalised(text: str, digits: str) -> None:
    assert normalise_phone(text) == digits


@pytest.mark.parametrize("text", ["555-0101", "0125550101", "2121550101", "21255501011", "phone"])
def test_bad_phone_numbers(text: str) -> None:
    assert error_code(lambda: normalise_phone(text)) == "invalid_phone"


def test_email_domain_is_lower_cased() -> None:
    assert normalise_email(" Alex.Rivera@Example.COM ") == "Alex.Rivera@example.com"


@pytest.mark.parametrize(
    "text", ["alex", "alex@", "@example.com", "a b@example.com", "a@b", "a@@b.com"]
)
def test_bad_emails(text: str) -> None:
    assert error_code(lambda: normalise_email(text)) == "invalid_email"


def test_unknown_error_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown billing error code"):
        BillingError("no_such_code")
