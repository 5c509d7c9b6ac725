"""Non-English locales: people and places in the locale's script, rules unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

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
