"""Money, dates and reference numbers as shown and as spoken in each language, and the
parser reading them back: what the synthesiser says, the caller can say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.dialog.formatting import Formatter
from assistant.dialog.numbers import amount_from_keys, amount_from_text, digits_from_text
from assistant.dialog.packs import LanguagePack, load_packs

PACKS = load_packs()
LANGS = ("en", "es", "ko")


def fmt(lang: str) -> Formatter:
    return Formatter(PACKS[lang])


@pytest.mark.parametrize(
    ("lang", "amount", "text", "speech"),
    [
        ("en", "0", "$0.00", "zero dollars"),
        ("en", "1", "$1.00", "one dollar"),
        ("en", "1045.5", "$1,045.50", "one thousand and forty-five dollars, fifty cents"),
        ("es", "0", "$0.00", "cero dólares"),
        ("es", "1", "$1.00", "un dólar"),
        ("es", "21", "$21.00", "veintiún dólares"),
        ("es", "1045.5", "$1,045.50", "mil cuarenta y cinco dólares con cincuenta centavos"),
        ("es", "1000000", "$1,000,000.00", "un millón de dólares"),
        ("ko", "0", "US$0.00", "영 달러"),
        ("ko", "1", "US$1.00", "일 달러"),
        ("ko", "45.50", "US$45.50", "사십오 달러 오십 센트"),
        ("ko", "1045.5", "US$1,045.50", "천사십오 달러 오십 센트"),
    ],
)
def test_money_shown_by_locale_and_spoken_in_words(
    lang: str, amount: str, text: str, speech: str
) -> None:
    spoken = fmt(lang).money(Decimal(amount))
    assert (spoken.text, spoken.speech) == (text, speech)


@pytest.mark.parametrize(
    ("lang", "speech", "minus"),
    [
        ("en", "a credit of twenty dollars, fifty cents", "minus"),
        ("es", "un crédito de veinte dólares con cincuenta centavos", "menos"),
        ("ko", "크레딧 이십 달러 오십 센트", "마이너스"),
    ],
)
def test_a_negative_amount_is_said_as_a_credit(lang: str, speech: str, minus: str) -> None:
    spoken = fmt(lang).money(Decimal("-20.50"))
    assert spoken.speech == speech
    assert minus not in spoken.speech
    assert "20.50" in spoken.text and "-" in spoken.text


@pytest.mark.parametrize(
    ("lang", "day", "text", "speech"),
    [
        ("en", dt.date(2026, 12, 7), "December 7, 2026", "December seventh"),
        ("es", dt.date(2026, 12, 7), "7 de diciembre de 2026", "siete de diciembre"),
        ("es", dt.date(2026, 12, 1), "1 de diciembre de 2026", "primero de diciembre"),
        ("es", dt.date(2026, 10, 21), "21 de octubre de 2026", "veintiuno de octubre"),
        ("ko", dt.date(2026, 12, 7), "2026년 12월 7일", "십이월 칠일"),
        ("ko", dt.date(2026, 6, 15), "2026년 6월 15일", "유월 십오일"),
        ("ko", dt.date(2026, 10, 3), "2026년 10월 3일", "시월 삼일"),
    ],
)
def test_dates_shown_by_locale_and_spoken_as_said(
    lang: str, day: dt.date, text: str, speech: str
) -> None:
    spoken = fmt(lang).date(day)
    assert (spoken.text, spoken.speech) == (text, speech)


def test_korean_months_are_all_said_in_words() -> None:
    said = [fmt("ko").date(dt.date(2026, month, 1)).speech for month in range(1, 13)]
    assert not any(ch.isdigit() for line in said for ch in line)
    assert said[5].startswith("유월") and said[9].startswith("시월")
    assert said[11] == "십이월 일일"


@pytest.mark.parametrize(
    ("lang", "speech"),
    [
        ("en", "P, zero, two, one, zero, nine"),
        ("es", "P, cero, dos, uno, cero, nueve"),
        ("ko", "P, 공, 이, 일, 공, 구"),
    ],
)
def test_references_are_read_one_character_at_a_time(lang: str, speech: str) -> None:
    spoken = fmt(lang).reference("P02109")
    assert spoken.text == "P02109"
    assert spoken.speech == speech
    assert digits_from_text(spoken.speech.replace("P, ", ""), PACKS[lang]) == "02109"


@pytest.mark.parametrize(
    ("lang", "last4", "minutes"),
    [
        ("en", "four zero zero five", "twelve"),
        ("es", "cuatro cero cero cinco", "doce"),
        ("ko", "사 공 공 오", "십이"),
    ],
)
def test_last_four_digits_and_minutes(lang: str, last4: str, minutes: str) -> None:
    assert fmt(lang).last4("4005").speech == last4
    assert fmt(lang).minutes(12).speech == minutes


AMOUNTS = st.builds(
    lambda dollars, cents: Decimal(dollars) + Decimal(cents) / 100,
    st.integers(min_value=0, max_value=99_999),
    st.integers(min_value=0, max_value=99),
)


@pytest.mark.parametrize("lang", LANGS)
@settings(max_examples=150, derandomize=True, deadline=None)
@given(amount=AMOUNTS)
def test_spoken_amounts_read_back_to_the_same_money(lang: str, amount: Decimal) -> None:
    speech = fmt(lang).money(amount).speech
    assert amount_from_text(speech, PACKS[lang]) == amount, speech


@pytest.mark.parametrize(
    ("lang", "said", "amount"),
    [
        ("en", "forty five dollars and fifty cents", "45.50"),
        ("en", "forty five fifty", "45.50"),
        ("en", "$1,045.50", "1045.50"),
        ("en", "fifty cents", "0.50"),
        ("es", "cuarenta y cinco dolares con cincuenta centavos", "45.50"),
        ("es", "cuarenta y cinco con cincuenta", "45.50"),
        ("es", "quiero pagar veinte dólares", "20.00"),
        ("es", "treinta y un dólares con un centavo", "31.01"),
        ("es", "doscientos dólares", "200.00"),
        ("ko", "사십오달러 오십센트", "45.50"),
        ("ko", "사십 오 달러", "45.00"),
        ("ko", "45달러 50센트", "45.50"),
        ("ko", "만 이천 달러", "12000.00"),
        ("ko", "백 불", "100.00"),
        ("ko", "오십 센트", "0.50"),
    ],
)
def test_amounts_as_callers_say_or_type_them(lang: str, said: str, amount: str) -> None:
    assert amount_from_text(said, PACKS[lang]) == Decimal(amount)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "the whole thing"), ("es", "todo el saldo"), ("ko", "이번 달 요금 전부")],
)
def test_words_without_a_number_are_no_amount(lang: str, said: str) -> None:
    assert amount_from_text(said, PACKS[lang]) is None


def test_keypad_amounts_are_cents() -> None:
    assert amount_from_keys("4550") == Decimal("45.50")
    assert amount_from_keys("45*0") is None


def _spell(keys: str, pack: LanguagePack, word: int, sep: str) -> str:
    return sep.join(pack.digit_words[k][min(word, len(pack.digit_words[k]) - 1)] for k in keys)


@pytest.mark.parametrize("lang", LANGS)
@settings(max_examples=60, derandomize=True, deadline=None)
@given(keys=st.text(alphabet="0123456789", min_size=1, max_size=12), word=st.integers(0, 2))
def test_digits_said_in_any_of_the_packs_words_read_back(lang: str, keys: str, word: int) -> None:
    pack = PACKS[lang]
    assert digits_from_text(_spell(keys, pack, word, " "), pack) == keys
    assert digits_from_text(_spell(keys, pack, word, ", "), pack) == keys


@pytest.mark.parametrize(
    ("lang", "said", "keys"),
    [
        ("es", "uno cero cero cero, cero cero cero uno", "10000001"),
        ("es", "uno dos tres cuatro numeral", "1234#"),
        ("es", "asterisco", "*"),
        ("es", "signo de número", "#"),
        ("ko", "일 공 공 공 공 공 공 일", "10000001"),
        ("ko", "공일공 일이삼사", "0101234"),
        ("ko", "하나 둘 셋 넷", "1234"),
        ("ko", "일이삼사 우물 정", "1234#"),
        ("ko", "별표", "*"),
    ],
)
def test_digits_as_callers_say_them(lang: str, said: str, keys: str) -> None:
    assert digits_from_text(said, PACKS[lang]) == keys


@pytest.mark.parametrize(("lang", "said"), [("es", "sí"), ("ko", "네"), ("ko", "잔액 조회")])
def test_words_that_are_not_keys_are_no_digits(lang: str, said: str) -> None:
    assert digits_from_text(said, PACKS[lang]) is None
