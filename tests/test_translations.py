"""Every string users see exists in fr and nl: catalogues complete, and up to date with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "pont"
LOCALE = SRC / "locale"


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "-c", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def _msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M):
        ids.add("".join(re.findall(r'"(.*)"', block)))
    ids.discard("")
    return ids


def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    """Extract the strings again into a scratch copy; any new msgid means `make messages` was not run."""
    copy = tmp_path / "pont"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    subprocess.run([sys.executable, str(manage), "makemessages", "-l", "fr", "--no-location", "-v", "0"],
                   cwd=copy, check=True)
    fresh = _msgids(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    shipped = _msgids(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    missing = sorted(fresh - shipped)
    assert not missing, f"{len(missing)} strings are not in the catalogues (run `make messages`): {missing[:10]}"
