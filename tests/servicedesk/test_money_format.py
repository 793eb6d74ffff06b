"""One way to write money for a person (issue #17): servicedesk.amounts' `amount_text` and
`yuan_text`, and the `|amount` and `|yuan` template filters, in both languages; and no app
formatting an amount on its own again (the merchant portal wrote "6800.00 元" where the customer's
page wrote "6,800.00 元")."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from servicedesk.amounts import amount_text, yuan_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0"), "0.00"),
        (0, "0.00"),
        (Decimal("-0.001"), "0.00"),  # never "-0.00"
        (Decimal("6800"), "6,800.00"),
        (Decimal("6800.5"), "6,800.50"),
        (Decimal("999.99"), "999.99"),
        (Decimal("1000"), "1,000.00"),
        (Decimal("10000000.00"), "10,000,000.00"),  # the largest amount DOMAIN.md §9 allows
        (Decimal("123456789012.34"), "123,456,789,012.34"),
        (Decimal("1234.565"), "1,234.57"),  # more places: rounded half up, not to even
        (Decimal("1234.575"), "1,234.58"),
        (Decimal("0.005"), "0.01"),
        (Decimal("0.004"), "0.00"),
        (Decimal("-1200"), "-1,200.00"),  # money going back
        (Decimal("-0.5"), "-0.50"),
        (1500, "1,500.00"),
        (19.9, "19.90"),
        ("2500.1", "2,500.10"),
        (None, ""),
        ("", ""),
    ],
)
def test_amount_text(value, text):
    assert amount_text(value) == text


def test_not_an_amount_is_an_error():
    with pytest.raises(ValueError, match="not an amount"):
        amount_text("12,800")


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("zh-hans", Decimal("6800"), "6,800.00 元"),
        ("zh-hans", Decimal("0"), "0.00 元"),
        ("zh-hans", Decimal("-35.5"), "-35.50 元"),
        ("zh-hans", None, ""),
        ("en", Decimal("6800"), "6,800.00 yuan"),
        ("en", Decimal("10000000"), "10,000,000.00 yuan"),
        ("en", None, ""),
    ],
)
def test_yuan_text_in_each_language(language, value, text):
    with translation.override(language):
        assert yuan_text(value) == text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_filters_write_the_same_as_python(language):
    template = Template("[{{ a|amount }}][{{ a|yuan }}][{{ n|amount }}][{{ n|yuan|default:'—' }}][{{ s|amount }}]")
    with translation.override(language):
        html = template.render(Context({"a": Decimal("6800"), "n": None, "s": "n/a"}))
        assert html == f"[6,800.00][{yuan_text(Decimal('6800'))}][][—][n/a]"
    # Django's Chinese locale groups by ten thousand with no mark; ours is the same in both languages.
    assert "6,800.00" in html


# --- No app formats money itself ---------------------------------------------------------------
# Python: a grouped format spec (f"{x:,.2f}"), the "N yuan" sentence, or a unit glued on.
PYTHON_PATTERNS = (
    (re.compile(r":,\.?\d*f\b"), "a grouped number format: use servicedesk.amounts.amount_text"),
    (re.compile(r"_\(\s*\"%\(amount\)s yuan\"\s*\)"), '"%(amount)s yuan": use servicedesk.amounts.yuan_text'),
    (re.compile(r"_\(\s*\" yuan\"\s*\)"), '" yuan" glued on: use servicedesk.amounts.yuan_text'),
)
# Templates: Django's number filters on money, or an amount with the unit translated beside it.
TEMPLATE_PATTERNS = (
    (re.compile(r"\bintcomma\b"), "intcomma: use |amount"),
    (re.compile(r"floatformat:\"?2\b"), "floatformat:2: use |amount (scores and rates excepted below)"),
    (re.compile(r"\}\}\s*\{%\s*trans(late)? \"yuan\"\s*%\}"), '{{ x }} {% translate "yuan" %}: use |yuan'),
)
# Two-place figures that are not money: the monthly appraisal's weights and scores.
NOT_MONEY = {"templates/reports/_appraisal_body.html"}
SKIP_DIRS = {".venv", "tests", "bench", "var", "locale", "migrations", "node_modules", ".git", "static"}


def _files(suffix):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        relative = path.relative_to(ROOT)
        if SKIP_DIRS.intersection(relative.parts) or str(relative) == "servicedesk/amounts.py":
            continue
        yield relative, path.read_text(encoding="utf-8")


def _offences(suffix, patterns, exempt=frozenset()):
    for relative, text in _files(suffix):
        if str(relative) in exempt:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for pattern, why in patterns:
                if pattern.search(line):
                    yield f"{relative}:{number}: {why}"


def test_no_python_formats_money_itself():
    assert list(_offences(".py", PYTHON_PATTERNS)) == []


def test_no_template_formats_money_itself():
    assert list(_offences(".html", TEMPLATE_PATTERNS, NOT_MONEY)) == []


def test_the_checks_would_see_an_offence():
    """The patterns match what they forbid (a check that cannot fail proves nothing)."""
    assert [why for pattern, why in PYTHON_PATTERNS if pattern.search('x = f"{amount:,.2f}"')]
    assert [why for pattern, why in PYTHON_PATTERNS if pattern.search('_("%(amount)s yuan") % {"amount": a}')]
    assert [why for pattern, why in PYTHON_PATTERNS if pattern.search('text + _(" yuan")')]
    offences = ("{{ a|floatformat:2|intcomma }}", '{{ r.price_paid }} {% translate "yuan" %}', "{{ a|floatformat:2 }}")
    for line in offences:
        assert [why for pattern, why in TEMPLATE_PATTERNS if pattern.search(line)], line
