"""Free text to ESCO skills, measured on a small labelled set; prints JSON. A script, never a test.

    .venv/bin/python bench/skill_suggest.py

`bench/data/skill_descriptions.json`: 32 descriptions (8 each in English, French, Dutch and Arabic) with the
skills an adviser would confirm, from the ESCO sample shipped with Pont. The sample is imported into a
throw-away SQLite database; each description's top 5 suggested skills are compared with the expected ones,
in the same run for what Pont uses (the hybrid: the multilingual sentence encoder, its best labels reranked
with the words they share with the description), for the encoder alone and for the lexical fallback:
recall@5 (share of the expected skills among the top 5) and hit@5 (a description with at least one),
overall and per language. The hybrid's LEXICAL_WEIGHT was chosen on this same set: read its figures as
tuned, not held out.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import people_list  # noqa: E402  (the throw-away database)


def main() -> int:
    data = json.loads((ROOT / "bench/data/skill_descriptions.json").read_text(encoding="utf-8"))["items"]
    with tempfile.TemporaryDirectory(prefix="pont-bench-suggest-") as tmp_name:
        tmp = Path(tmp_name)
        people_list.Database(tmp)
        people_list.configure_django(tmp)
        from django.conf import settings
        from django.core.management import call_command

        settings.VAR_DIR = tmp
        call_command("migrate", verbosity=0)
        from pont.taxonomy import suggest
        from pont.taxonomy.esco_import import import_esco
        from pont.taxonomy.models import Skill

        import_esco(ROOT / "src/pont/taxonomy/data/esco_demo", ["en", "fr", "nl"])
        started = time.perf_counter()
        embedded = suggest.rebuild()
        embed_s = time.perf_counter() - started
        by_label = {s.label("en"): s.pk for s in Skill.objects.all()}
        report: dict = {"descriptions": len(data), "labels_embedded": embedded, "embedding_s": round(embed_s, 2)}
        encoder, weight = suggest.encoder, suggest.LEXICAL_WEIGHT
        for name, use, lexical_weight in (("hybrid", encoder, weight), ("encoder", encoder, 0.0),
                                          ("lexical", lambda: None, weight)):
            suggest.encoder = use  # the fallback is what runs when the package is not installed
            suggest.LEXICAL_WEIGHT = lexical_weight  # 0: the encoder's ranking alone
            per_lang: dict[str, list[tuple[float, bool]]] = {}
            times = []
            for item in data:
                expected = {by_label[label] for label in item["skills"]}
                started = time.perf_counter()
                top = [s.pk for s in suggest.suggest(item["text"], 5)["skill"]]
                times.append((time.perf_counter() - started) * 1000)
                found = expected & set(top)
                per_lang.setdefault(item["lang"], []).append((len(found) / len(expected), bool(found)))
            every = [r for rows in per_lang.values() for r in rows]
            report[name] = {
                "recall@5": round(statistics.mean(r for r, _ in every), 3),
                "hit@5": round(statistics.mean(h for _, h in every), 3),
                "median_ms": round(statistics.median(times), 1),
                "per_language": {lang: {"recall@5": round(statistics.mean(r for r, _ in rows), 3),
                                        "hit@5": round(statistics.mean(h for _, h in rows), 3)}
                                 for lang, rows in sorted(per_lang.items())},
            }
        suggest.encoder, suggest.LEXICAL_WEIGHT = encoder, weight
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
