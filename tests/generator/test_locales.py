"""Non-English locales: people and places in the locale's script, rules unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seeds_gen.locales import SUPPORTED_LOCALES, fix_for
from seeds_gen.pools import build_pools

from .conftest import RunCli
from .dataset_checks import RULES, open_dataset


@pytest.mark.parametrize("locale, country", [("de_DE", "Germany"), ("ja_JP", "Japan")])
def test_non_english_locale_gives_local_names_and_valid_data(
        run_cli: RunCli, tmp_path: Path, locale: str, country: str) -> None:
    result = run_cli("--locale", locale, "--scale", "0.02", "--out", str(tmp_path), "--quiet")
    assert result.returncode == 0, result.stderr
    con = open_dataset(tmp_path)
    countries = {c for (c,) in con.execute("select distinct country from customer").fetchall()}
    assert countries == {country}
    names = [n for (n,) in con.execute("select last_name from customer").fetchall()]
    if locale == "ja_JP":
        assert any(ord(ch) > 0x3000 for name in names for ch in name)
    else:
        assert any(ch in "äöüß" for name in names for ch in name.lower())
    for name, check in RULES.items():
        assert check(con) == [], name
    # Emails stay ASCII whatever the script of the names.
    (non_ascii,) = con.execute(
        "select count(*) from customer where not regexp_matches(email, '^[ -~]+$')").fetchone() \
        or (1,)
    assert non_ascii == 0


# Every supported locale: its country, its phones' country code, the script of its names.
LOCALE_FACTS = {
    "en_US": ("United States", "1", "latin"), "en_GB": ("United Kingdom", "44", "latin"),
    "de_DE": ("Germany", "49", "latin"), "fr_FR": ("France", "33", "latin"),
    "es_ES": ("Spain", "34", "latin"), "it_IT": ("Italy", "39", "latin"),
    "pt_BR": ("Brazil", "55", "latin"), "nl_NL": ("Netherlands", "31", "latin"),
    "pl_PL": ("Poland", "48", "latin"), "ja_JP": ("Japan", "81", "cjk"),
    "zh_CN": ("China", "86", "cjk"), "ko_KR": ("South Korea", "82", "hangul"),
    "vi_VN": ("Vietnam", "84", "latin"), "hi_IN": ("India", "91", "devanagari"),
    "ar_SA": ("Saudi Arabia", "966", "arabic"), "th_TH": ("Thailand", "66", "thai"),
}
SCRIPTS = {"latin": ((0x41, 0x24F), (0x1E00, 0x1EFF)), "cjk": ((0x3000, 0x9FFF),),
           "hangul": ((0xAC00, 0xD7A3),), "devanagari": ((0x0900, 0x097F),),
           "arabic": ((0x0600, 0x06FF),), "thai": ((0x0E00, 0x0E7F),)}
# Where a national number starts with the trunk prefix 0 (elsewhere it need not).
TRUNK_ZERO = {"en_GB", "de_DE", "fr_FR", "nl_NL", "ja_JP", "vi_VN", "hi_IN", "ar_SA"}
# Korean family names are few (Kim, Lee and Park are almost half the country): 40 is many.
MIN_LAST_NAMES = {"ko_KR": 40, "vi_VN": 30}


def test_every_supported_locale_is_listed_with_its_facts() -> None:
    assert set(SUPPORTED_LOCALES) == set(LOCALE_FACTS)


def _in_script(text: str, script: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(any(low <= ord(ch) <= high for low, high in SCRIPTS[script])
                                 for ch in letters)


@pytest.mark.parametrize("locale", sorted(LOCALE_FACTS))
def test_supported_locale_gives_varied_believable_people(locale: str) -> None:
    from faker import Faker

    country, code, script = LOCALE_FACTS[locale]
    pools = build_pools(Faker(locale), 42, locale)
    assert pools.country == country
    assert len(pools.first_names) >= 100, pools.first_names[:20]
    assert len(pools.last_names) >= MIN_LAST_NAMES.get(locale, 100), pools.last_names[:20]
    assert len(pools.cities) >= 30, pools.cities[:20]
    for name in (*pools.first_names, *pools.last_names, *pools.cities):
        assert _in_script(name, script), (locale, name)
    fix = fix_for(locale)
    if fix.places is not None:  # the project's own list of real places
        assert set(pools.cities) <= set(fix.places(Faker(locale)))
    for phone in pools.phones:
        digits = re.sub(r"[^0-9+]", "", phone)
        assert 8 <= len(digits.lstrip("+")) <= 15, (locale, phone)
        # International numbers carry the country's code; national ones start as the country
        # dials them.
        if digits.startswith(("+", "00")):
            assert digits.lstrip("+").removeprefix("00").startswith(code), (locale, phone)
        elif locale in TRUNK_ZERO:
            assert digits.startswith("0"), (locale, phone)


def test_a_locale_outside_the_list_works_with_a_one_line_warning(
        run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("--locale", "de_AT", "--rows", "customer=50", "--rows", "orders=100",
                     "--rows", "order_item=300", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "de_AT" in warnings[0] and "en_US" in warnings[0]
    quiet = run_cli("--locale", "en_US", "--rows", "customer=50", "--rows", "orders=100",
                    "--rows", "order_item=300", "--out", str(tmp_path))
    assert "warning" not in quiet.stderr
