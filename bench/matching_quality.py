"""How well matching ranks the right occupation, against the textbook baselines; prints JSON. A script,
never a test.

    .venv/bin/python bench/matching_quality.py                       # the ESCO sample shipped with Pont
    .venv/bin/python bench/matching_quality.py --esco ~/esco-v1.2    # the official ESCO CSV download

Each occupation with at least 3 essential skills is a vacancy, with its ESCO skill list, at the same place
and with no language requirement (only skills differ). Candidates are noisy copies of an occupation's skill
list: a share of its skills missing, plus unrelated skills from the whole taxonomy. Each candidate's
vacancies are ranked by the engine (`Matcher.scores_for_person`), by Jaccard overlap and by TF-IDF cosine
(IDF over the vacancies), all in the same run; the engine also without its related-skill credit (from
broaderRelationsSkillPillar*.csv, when the folder has it) and without its rarity weights. One run per seed
(`--seeds`); the report gives recall@1, recall@5 and the MRR of the true occupation per run, and the mean MRR;
ties count as the expected rank (half the tied others before it).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pont.matching import engine  # noqa: E402  (pure: needs no Django)
from pont.taxonomy.related import related_matrix  # noqa: E402

SAMPLE = ROOT / "src/pont/taxonomy/data/esco_demo/en"
SETTINGS = {"moderate": ((0.3, 0.5), (0.1, 0.2)), "hard": ((0.6, 0.8), (0.3, 0.5))}


def read_esco(folder: Path) -> tuple[list[str], dict[str, tuple[list[str], list[str]]], list[str]]:
    """Return (occupation URIs, URI → (essential, optional skill URIs), every skill URI) from ESCO CSVs."""
    relations = next(folder.glob("occupationSkillRelations*.csv"))
    skills_file = next(folder.glob("skills_*.csv"))
    lists: dict[str, tuple[list[str], list[str]]] = {}
    with relations.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            essential, optional = lists.setdefault(row["occupationUri"], ([], []))
            (essential if row["relationType"] == "essential" else optional).append(row["skillUri"])
    with skills_file.open(newline="", encoding="utf-8") as f:
        every = [row["conceptUri"] for row in csv.DictReader(f)]
    every = sorted(set(every) | {s for e, o in lists.values() for s in e + o})
    occupations = sorted(o for o, (e, _) in lists.items() if len(e) >= 3)
    return occupations, lists, every


def read_related(folder: Path, col: dict[str, int]):
    """Return the related-skill matrix from broaderRelationsSkillPillar*.csv, or None without that file."""
    found = next(folder.glob("broaderRelationsSkillPillar*.csv"), None)
    if found is None:
        return None
    with found.open(newline="", encoding="utf-8") as f:
        links = [(col[r["conceptUri"]], r["broaderUri"]) for r in csv.DictReader(f) if r["conceptUri"] in col]
    return related_matrix(links, col, len(col))


def candidates(occupations, lists, skill_col, n_skills, per_occupation, setting, rng):
    """Return (rows of skill columns, the true occupation's index) for the noisy candidates."""
    (miss_lo, miss_hi), (extra_lo, extra_hi) = SETTINGS[setting]
    people, truth = [], []
    for index, occupation in enumerate(occupations):
        essential, optional = lists[occupation]
        own = [skill_col[s] for s in dict.fromkeys(essential + optional)]
        for _ in range(per_occupation):
            kept = [s for s in own if rng.random() >= rng.uniform(miss_lo, miss_hi)] or [rng.choice(own)]
            extra = rng.choice(n_skills, size=round(len(kept) * rng.uniform(extra_lo, extra_hi)), replace=False)
            people.append(sorted(set(kept) | set(int(x) for x in extra)))
            truth.append(index)
    return people, np.array(truth)


def csr(rows, width) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.array([c for r in rows for c in r], dtype=np.int64)
    return sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), width))


def ranks(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Expected rank of the true column in each row (1 = best; ties: half the tied others before it)."""
    true = scores[np.arange(len(truth)), truth][:, None]
    greater = (scores > true).sum(axis=1)
    ties = (scores == true).sum(axis=1) - 1
    return 1 + greater + ties / 2


def quality(rank: np.ndarray) -> dict:
    return {"recall@1": round(float((rank <= 1).mean()), 3), "recall@5": round(float((rank <= 5).mean()), 3),
            "mrr": round(float((1 / rank).mean()), 3)}


def engine_scores(people: sp.csr_matrix, essential: sp.csr_matrix, optional: sp.csr_matrix, related=None,
                  weights: engine.Weights | None = None) -> np.ndarray:
    n, m, width = people.shape[0], essential.shape[0], people.shape[1]
    empty_occ = sp.csr_matrix((n, m))
    persons = engine.People(
        ids=np.arange(n), skills=people, experience=empty_occ, desired=empty_occ, location=np.zeros(n, np.int64),
        radius_km=np.full(n, 30.0), languages=np.zeros((n, 0), np.int8), right_to_work=np.zeros((n, 2), np.int8),
        country=np.zeros(n, np.int64), cross_border=np.ones(n, bool), contract_wishes=np.zeros(n, np.int64))
    jobs = engine.Vacancies(
        ids=np.arange(m), essential=essential, optional=optional, occupation=np.arange(m),
        location=np.zeros(m, np.int64), country=np.zeros(m, np.int64), languages=np.zeros((m, 0), np.int8),
        training=np.zeros(m, bool), contract=np.zeros(m, np.int64))
    matcher = engine.Matcher(persons, jobs, engine.Locations(lat=np.array([50.8]), lon=np.array([3.3])), weights,
                             related=related)
    assert width == essential.shape[1]
    return np.vstack([matcher.scores_for_person(row) for row in range(n)])


def jaccard(people: sp.csr_matrix, vacancies: sp.csr_matrix) -> np.ndarray:
    inter = (people @ vacancies.T).toarray()
    sizes = np.asarray(people.sum(axis=1)) + np.asarray(vacancies.sum(axis=1)).T
    return inter / np.maximum(sizes - inter, 1)


def tfidf_cosine(people: sp.csr_matrix, vacancies: sp.csr_matrix) -> np.ndarray:
    df = np.asarray((vacancies > 0).sum(axis=0)).ravel()
    idf = np.log((1 + vacancies.shape[0]) / (1 + df)) + 1
    v = vacancies.multiply(idf).tocsr()
    p = people.multiply(idf).tocsr()
    v_norm = np.sqrt(np.asarray(v.multiply(v).sum(axis=1))).T
    p_norm = np.sqrt(np.asarray(p.multiply(p).sum(axis=1)))
    return (p @ v.T).toarray() / np.maximum(p_norm * v_norm, 1e-12)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--esco", type=Path, default=SAMPLE, help="folder of ESCO CSVs (default: the shipped sample)")
    parser.add_argument("--per-occupation", type=int, default=20)
    parser.add_argument("--seeds", default="11,12,13", help="one run of candidates per seed (comma-separated)")
    args = parser.parse_args(argv)
    occupations, lists, every = read_esco(args.esco)
    col = {uri: i for i, uri in enumerate(every)}
    essential = csr([[col[s] for s in dict.fromkeys(lists[o][0])] for o in occupations], len(every))
    optional = csr([[col[s] for s in dict.fromkeys(lists[o][1]) if s not in set(lists[o][0])] for o in occupations],
                   len(every))
    whole = ((essential + optional) > 0).astype(np.float64).tocsr()
    related = read_related(args.esco, col)
    report: dict = {"esco": str(args.esco.relative_to(ROOT) if args.esco.is_relative_to(ROOT) else args.esco),
                    "occupations": len(occupations), "skills": len(every),
                    "candidates_per_occupation": args.per_occupation,
                    "related_pairs": int(related.nnz // 2) if related is not None else 0, "runs": {}}
    for seed in (int(s) for s in args.seeds.split(",")):
        rng = np.random.default_rng(seed)
        report["runs"][seed] = {setting: one_setting(setting, occupations, lists, col, every, essential, optional,
                                                     whole, related, args.per_occupation, rng)
                                for setting in SETTINGS}
    methods = next(iter(next(iter(report["runs"].values())).values()))["methods"]
    report["mean_mrr"] = {setting: {name: round(float(np.mean([run[setting]["methods"][name]["mrr"]
                                                               for run in report["runs"].values()])), 4)
                                    for name in methods} for setting in SETTINGS}
    print(json.dumps(report, indent=2))
    return 0


def one_setting(setting, occupations, lists, col, every, essential, optional, whole, related, per_occupation,
                rng) -> dict:
    """Rank one noisy set of candidates by every method."""
    (miss_lo, miss_hi), (extra_lo, extra_hi) = SETTINGS[setting]
    rows, truth = candidates(occupations, lists, col, len(every), per_occupation, setting, rng)
    people = csr(rows, len(every))
    methods = {
        "engine": quality(ranks(engine_scores(people, essential, optional, related), truth)),
        # the same engine without related-skill credit, and without rarity weights: what each adds
        "engine_without_related": quality(ranks(engine_scores(people, essential, optional), truth)),
        "engine_flat_weights": quality(ranks(engine_scores(
            people, essential, optional, related, engine.Weights(rare_skills=False)), truth)),
        "jaccard": quality(ranks(jaccard(people, whole), truth)),
        "tfidf_cosine": quality(ranks(tfidf_cosine(people, whole), truth)),
    }
    return {"missing": [miss_lo, miss_hi], "unrelated": [extra_lo, extra_hi], "candidates": len(rows),
            "methods": methods}


if __name__ == "__main__":
    raise SystemExit(main())
