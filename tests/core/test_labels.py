"""Every code a screen can show has a label in French and Dutch: choices, audit verbs, channels."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import polib
from django.db import models
from django.utils.functional import Promise

import pont
from pont.audit.verbs import CHANNELS, VERBS
from pont.matching.choices import FeedbackOutcome

SRC = Path(pont.__file__).parent


def _catalogue(language: str) -> dict[tuple[str, str], str]:
    po = polib.pofile(str(SRC / "locale" / language / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt or "", e.msgid): e.msgstr for e in po if e.msgstr and "fuzzy" not in e.flags}


CATALOGUES = {language: _catalogue(language) for language in ("fr", "nl")}


def _choices_classes() -> list[type[models.Choices]]:
    for info in pkgutil.walk_packages(pont.__path__, "pont."):
        if not any(part in info.name for part in (".migrations", ".management", "wsgi", "settings")):
            importlib.import_module(info.name)
    found, todo = [], list(models.Choices.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("pont.") and cls.choices:
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


# Codes that read the same in every language (CEFR levels): they need no translation.
SAME_IN_EVERY_LANGUAGE = {"A1", "A2", "B1", "B2", "C1", "C2"}


def _untranslated(labels) -> list[str]:
    missing = []
    for label in labels:
        if label in SAME_IN_EVERY_LANGUAGE:
            continue
        if not isinstance(label, Promise):
            missing.append(f"{label!r} is not marked for translation")
            continue
        context = getattr(label, "_args", ("",))  # the lazy proxy keeps gettext's arguments
        msgid = str(context[-1]) if context else ""
        msgctxt = str(context[0]) if len(context) == 2 else ""
        for language, catalogue in CATALOGUES.items():
            if (msgctxt, msgid) not in catalogue:
                missing.append(f"{language}: {msgid!r}")
    return missing


def test_every_choice_of_every_list_has_a_french_and_a_dutch_label():
    """Walks every TextChoices/IntegerChoices of Pont (imported at run time, not at collection)."""
    lists = _choices_classes()
    assert {"Role", "FeedbackOutcome", "VisitStatus", "LabourStatus"} <= {c.__name__ for c in lists}
    missing = {f"{c.__module__}.{c.__qualname__}": _untranslated(c.labels) for c in lists}
    assert {name: labels for name, labels in missing.items() if labels} == {}


def test_every_audit_verb_the_code_writes_has_a_label():
    written = set()
    for path in SRC.rglob("*.py"):
        written |= set(re.findall(r'verb="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    written |= {f"proposal.{outcome}" for outcome in FeedbackOutcome.values} | {"thread.hidden", "reply.hidden"}
    assert len(written) > 100
    assert sorted(written - set(VERBS)) == []


def test_audit_verbs_and_channels_are_translated():
    assert not _untranslated(list(VERBS.values()) + list(CHANNELS.values()))
