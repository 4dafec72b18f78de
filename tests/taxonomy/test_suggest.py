"""Free text to ESCO skills: a description in French, Dutch, English or Arabic gets the right skills among the
first suggestions (the multilingual sentence encoder shipped in its wheel), the label vectors are computed
once per import, and without the encoder a lexical fallback answers."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pont.taxonomy import suggest
from pont.taxonomy.models import Skill
from tests.matching.world import load_taxonomy


@pytest.fixture
def taxonomy(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    load_taxonomy(full=True)
    suggest._loaded.clear()
    return tmp_path


def _top(text: str, n: int = 5) -> list[str]:
    return [Skill.objects.get(pk=s.pk).label("en") for s in suggest.suggest(text, n)["skill"]]


@pytest.mark.parametrize(("text", "skill"), [
    ("J'ai conduit un chariot élévateur dans un entrepôt pendant cinq ans", "operate forklift"),
    ("Ik heb jarenlang in een restaurant afgewassen", "wash dishes"),
    ("I looked after elderly people in a care home", "care for older people"),
    ("عملت في البناء ووضع الطوب لمدة عشر سنوات", "lay bricks"),
])
def test_a_description_in_any_language_suggests_the_right_skill(taxonomy, text, skill):
    assert skill in _top(text)


def test_label_vectors_are_computed_once_per_import(taxonomy):
    suggest.suggest("operate a forklift")
    files = sorted(p.name for p in (taxonomy / "esco-vectors").iterdir())
    assert len(files) == 2 and files[0].endswith("-labels.npy")
    before = (taxonomy / "esco-vectors" / files[1]).stat().st_mtime_ns
    suggest._loaded.clear()
    suggest.suggest("wash dishes")  # same import: the vectors are read, not computed again
    assert (taxonomy / "esco-vectors" / files[1]).stat().st_mtime_ns == before


def test_without_the_encoder_a_lexical_fallback_answers(taxonomy, monkeypatch):
    monkeypatch.setattr(suggest, "encoder", lambda: None)  # as if the package were not installed
    assert suggest.method() == "lexical"
    assert "operate forklift" in _top("operate a forklift truck")


def test_the_api_and_the_profile_page_suggest_the_same(taxonomy, users, person):
    client = Client()
    client.force_login(users["adviser"])
    answer = client.post("/api/v1/skills/suggest", json.dumps({"text": "conduire un chariot élévateur"}),
                         content_type="application/json").json()
    assert answer["method"] == "encoder" and "operate forklift" in [s["label"] for s in answer["skills"]]
    partial = client.get("/jobs/skills/suggestions/", {"text": "conduire un chariot élévateur"}).content.decode()
    first = answer["skills"][0]
    assert f'name="add_skills" value="{first["id"]}"' in partial
    assert client.post("/api/v1/skills/suggest", json.dumps({"text": " "}),
                       content_type="application/json").status_code == 422
