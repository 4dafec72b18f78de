"""A synthetic ESCO download of full size (3,039 occupations, 13,939 skills, ~129,000 relations per
language) to measure `import_esco`; never shipped as data, never run as a test.

    .venv/bin/python -m tests.taxonomy.synthetic_esco /tmp/esco-full   # writes fr/, nl/, en/
    time .venv/bin/python manage.py import_esco /tmp/esco-full --lang fr,nl,en
"""

from __future__ import annotations

import csv
import random
import sys
import uuid
from pathlib import Path

OCCUPATIONS, SKILLS, RELATIONS = 3039, 13939, 129_000
WORDS = ("operate", "maintain", "install", "repair", "inspect", "plan", "assemble", "clean", "prepare", "monitor",
         "équipement", "machine", "système", "veiligheid", "productie", "klant", "données", "soudure", "bois",
         "béton", "logistique", "zorg", "voeding", "metaal", "réseau", "verkoop", "qualité", "onderhoud")


def _label(rng: random.Random, lang: str, n: int) -> str:
    return f"{lang} " + " ".join(rng.choice(WORDS) for _ in range(n))


def write(folder: Path, languages=("fr", "nl", "en"), seed: int = 7) -> None:
    rng = random.Random(seed)
    occ = [f"http://data.europa.eu/esco/occupation/{uuid.UUID(int=rng.getrandbits(128))}" for _ in range(OCCUPATIONS)]
    skills = [f"http://data.europa.eu/esco/skill/{uuid.UUID(int=rng.getrandbits(128))}" for _ in range(SKILLS)]
    pairs = set()
    while len(pairs) < RELATIONS:
        pairs.add((rng.randrange(OCCUPATIONS), rng.randrange(SKILLS)))
    relations = sorted(pairs)
    for lang in languages:
        target = folder / lang
        target.mkdir(parents=True, exist_ok=True)
        with (target / f"occupations_{lang}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
                        "status", "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme",
                        "description", "code"])
            for i, uri in enumerate(occ):
                alts = "\n".join(_label(rng, lang, 3) for _ in range(rng.randint(0, 8)))
                w.writerow(["Occupation", uri, f"{1000 + i % 9000}", _label(rng, lang, 3), alts, "", "released",
                            "2024-01-01", "", "", "A definition.", "", "A description " * 10, f"{1000 + i}.1"])
        with (target / f"skills_{lang}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
                        "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
                        "description"])
            for uri in skills:
                alts = "\n".join(_label(rng, lang, 4) for _ in range(rng.randint(0, 5)))
                w.writerow(["KnowledgeSkillCompetence", uri, rng.choice(["skill/competence", "knowledge"]),
                            "sector-specific", _label(rng, lang, 4), alts, "", "released", "2024-01-01", "",
                            "A definition.", "", "A description " * 10])
        with (target / f"occupationSkillRelations_{lang}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["occupationUri", "relationType", "skillType", "skillUri"])
            for o, s in relations:
                w.writerow([occ[o], "essential" if (o + s) % 3 else "optional", "skill/competence", skills[s]])


if __name__ == "__main__":
    write(Path(sys.argv[1]))
