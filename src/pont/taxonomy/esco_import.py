"""Reading the official ESCO CSV download into the taxonomy tables: all rows checked first, then one transaction.

Files, per language `xx` (either in one folder per language or side by side):
`occupations_xx.csv`, `skills_xx.csv`, `occupationSkillRelations_xx.csv` and, when present,
`broaderRelationsSkillPillar_xx.csv` (the skill hierarchy: which group or broader skill each skill sits
under; rows about skill groups themselves are skipped). Columns are found by their
header name, never by position; `altLabels` holds several labels separated by new lines inside one
quoted cell. Concepts are keyed by `conceptUri`, so importing again updates and never duplicates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal
from unidecode import unidecode

from pont.taxonomy.models import (
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Relation,
    Skill,
    SkillBroader,
    SkillLabel,
    SkillType,
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
imported = Signal()  # sent once an import is written (matching rebuilds: skill weights and relations changed)

FILES = {"occupations": "occupations_{lang}.csv", "skills": "skills_{lang}.csv",
         "relations": "occupationSkillRelations_{lang}.csv", "broader": "broaderRelationsSkillPillar_{lang}.csv"}
REQUIRED = {
    "occupations": ("conceptUri", "preferredLabel"),
    "skills": ("conceptUri", "preferredLabel"),
    "relations": ("occupationUri", "relationType", "skillUri"),
    "broader": ("conceptType", "conceptUri", "broaderUri"),
}
_URI = re.compile(r"^https?://\S+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SKILL_TYPES = {value for value in SkillType.values if value}
BATCH = 2000


class EscoImportError(Exception):
    """A file or row that cannot be imported; the message names the file and line."""


def search_form(text: str) -> str:
    """Return `text` in lower-case ASCII with single spaces: what type-ahead compares."""
    return " ".join(unidecode(text or "").lower().split())


@dataclass
class ConceptRow:
    uri: str
    labels: dict[str, str] = field(default_factory=dict)          # language → preferred label
    alt: dict[str, list[str]] = field(default_factory=dict)       # language → alternative labels
    extra: dict[str, str] = field(default_factory=dict)           # code, isco_group, skill_type, …


@dataclass
class Parsed:
    occupations: dict[str, ConceptRow] = field(default_factory=dict)
    skills: dict[str, ConceptRow] = field(default_factory=dict)
    relations: dict[tuple[str, str], str] = field(default_factory=dict)  # (occupation uri, skill uri) → type
    broader: dict[str, set[str]] = field(default_factory=dict)  # skill uri → broader concept uris
    languages: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    languages: list[str]
    occupations_created: int = 0
    occupations_updated: int = 0
    skills_created: int = 0
    skills_updated: int = 0
    labels: int = 0
    relations_created: int = 0
    relations_updated: int = 0
    relations_deleted: int = 0
    broader: int = 0  # skill → broader concept links written


def find_files(directory: Path, languages: list[str] | None) -> dict[str, dict[str, Path]]:
    """Return {language: {kind: path}}, looking in `directory` and its sub-folders (one per language)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise EscoImportError(f"{directory}: not a folder")
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(directory.rglob("*.csv")):
        for kind, pattern in FILES.items():
            match = re.fullmatch(pattern.replace("{lang}", "([a-z]{2,3})").replace(".", r"\."), path.name)
            if match:
                found.setdefault(match.group(1), {})[kind] = path
    if languages:
        bad = [code for code in languages if not _LANGUAGE.match(code)]
        if bad:
            raise EscoImportError(f"not a language code: {', '.join(bad)}")
        missing = [code for code in languages if code not in found]
        if missing:
            raise EscoImportError(f"{directory}: no ESCO files for language(s) {', '.join(missing)}")
        found = {code: found[code] for code in languages}
    if not found:
        raise EscoImportError(f"{directory}: no occupations_xx.csv, skills_xx.csv or "
                              f"occupationSkillRelations_xx.csv found")
    for code, kinds in found.items():
        for kind in ("occupations", "skills"):
            if kind not in kinds:
                raise EscoImportError(f"{directory}: {FILES[kind].format(lang=code)} is missing")
    return found


def _lines(path: Path, fh) -> Iterator[str]:
    """Yield the file's lines decoded as UTF-8 (a leading BOM dropped), naming the first line that is not."""
    for number, raw in enumerate(fh, 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise EscoImportError(
                f"{path}:{number}: not UTF-8 text (byte 0x{raw[error.start]:02x} at column {error.start + 1}); "
                "ESCO files are UTF-8: download them again, or save the file as UTF-8") from None
        yield text


def _records(path: Path, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (first line number, row) for each record, checking the header and each row's width.

    The file is read as bytes and decoded line by line, so that a byte that is not UTF-8 is reported with its
    line (a UTF-8 character never holds a newline byte, so splitting first is safe).
    """
    with path.open("rb") as fh:
        reader = csv.DictReader(_lines(path, fh), strict=True)
        try:
            header = reader.fieldnames or []
        except csv.Error as error:
            raise EscoImportError(f"{path}:1: {error}") from None
        missing = [name for name in REQUIRED[kind] if name not in header]
        if missing:
            raise EscoImportError(f"{path}:1: missing column(s) {', '.join(missing)}")
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise EscoImportError(f"{path}:{line}: {error}") from None
            if None in row or any(value is None for value in row.values()):
                found = len(header) + len(row.get(None) or []) - sum(v is None for v in row.values())
                raise EscoImportError(f"{path}:{line}: expected {len(header)} fields, found {found}")
            with_nul = next((name for name, value in row.items() if "\x00" in value), None)
            if with_nul is not None:  # PostgreSQL text cannot hold it
                raise EscoImportError(f"{path}:{line}: {with_nul} contains a NUL character (0x00)")
            yield line, row
            line = reader.line_num + 1


def _uri(path: Path, line: int, value: str, column: str) -> str:
    value = (value or "").strip()
    if not _URI.match(value):
        raise EscoImportError(f"{path}:{line}: {column} is not a URI: {value[:80]!r}")
    if len(value) > 255:
        raise EscoImportError(f"{path}:{line}: {column} is longer than 255 characters")
    return value


def _alt_labels(value: str, preferred: str) -> list[str]:
    seen, labels = {preferred}, []
    for label in (value or "").splitlines():
        label = label.strip()
        if label and label not in seen:
            seen.add(label)
            labels.append(label[:500])
    return labels


def _read_concepts(path: Path, kind: str, language: str, into: dict[str, ConceptRow],
                   progress: Progress | None) -> None:
    for count, (line, row) in enumerate(_records(path, kind), 1):
        uri = _uri(path, line, row["conceptUri"], "conceptUri")
        preferred = (row.get("preferredLabel") or "").strip()
        if not preferred:
            raise EscoImportError(f"{path}:{line}: preferredLabel is empty")
        if len(preferred) > 500:
            raise EscoImportError(f"{path}:{line}: preferredLabel is longer than 500 characters")
        concept = into.setdefault(uri, ConceptRow(uri))
        concept.labels[language] = preferred
        concept.alt[language] = _alt_labels(row.get("altLabels", ""), preferred)
        concept.extra["status"] = (row.get("status") or "").strip()[:16]
        if kind == "occupations":
            concept.extra["code"] = (row.get("code") or "").strip()[:32]
            concept.extra["isco_group"] = (row.get("iscoGroup") or "").strip()[:8]
        else:
            skill_type = (row.get("skillType") or "").strip()
            if skill_type and skill_type not in _SKILL_TYPES:
                raise EscoImportError(f"{path}:{line}: unknown skillType {skill_type[:40]!r}")
            concept.extra["skill_type"] = skill_type
            concept.extra["reuse_level"] = (row.get("reuseLevel") or "").strip()[:32]
        if progress and count % 1000 == 0:
            progress(path.name, count, 0)


def _read_relations(path: Path, parsed: Parsed, known_occupations: set[str], known_skills: set[str],
                    progress: Progress | None) -> None:
    for count, (line, row) in enumerate(_records(path, "relations"), 1):
        occupation = _uri(path, line, row["occupationUri"], "occupationUri")
        skill = _uri(path, line, row["skillUri"], "skillUri")
        relation = (row["relationType"] or "").strip()
        if relation not in Relation.values:
            raise EscoImportError(f"{path}:{line}: relationType must be essential or optional, "
                                  f"not {relation[:40]!r}")
        if occupation not in parsed.occupations and occupation not in known_occupations:
            raise EscoImportError(f"{path}:{line}: unknown occupation {occupation}")
        if skill not in parsed.skills and skill not in known_skills:
            raise EscoImportError(f"{path}:{line}: unknown skill {skill}")
        parsed.relations[(occupation, skill)] = relation
        if progress and count % 5000 == 0:
            progress(path.name, count, 0)


def _read_broader(path: Path, parsed: Parsed, known_skills: set[str]) -> None:
    for line, row in _records(path, "broader"):
        if (row["conceptType"] or "").strip() == "SkillGroup":
            continue  # the hierarchy of groups above the skills: not needed to relate skills
        skill = _uri(path, line, row["conceptUri"], "conceptUri")
        broader = _uri(path, line, row["broaderUri"], "broaderUri")
        if skill not in parsed.skills and skill not in known_skills:
            raise EscoImportError(f"{path}:{line}: unknown skill {skill}")
        parsed.broader.setdefault(skill, set()).add(broader)


def parse(directory: Path, languages: list[str] | None = None, progress: Progress | None = None) -> Parsed:
    """Read and check every file; raise EscoImportError at the first bad row. Writes nothing."""
    files = find_files(directory, languages)
    parsed = Parsed(languages=sorted(files))
    for code, kinds in files.items():
        _read_concepts(kinds["occupations"], "occupations", code, parsed.occupations, progress)
        _read_concepts(kinds["skills"], "skills", code, parsed.skills, progress)
    relation_files = [kinds["relations"] for kinds in files.values() if "relations" in kinds]
    if relation_files:
        known_occupations = set(Occupation.objects.values_list("uri", flat=True))
        known_skills = set(Skill.objects.values_list("uri", flat=True))
        for path in relation_files:  # the same relations in every language: read each, keep one set
            _read_relations(path, parsed, known_occupations, known_skills, progress)
    broader_files = [kinds["broader"] for kinds in files.values() if "broader" in kinds]
    if broader_files:
        known_skills = set(Skill.objects.values_list("uri", flat=True))
        for path in broader_files:  # the same hierarchy in every language
            _read_broader(path, parsed, known_skills)
    return parsed


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _upsert(model, rows: dict[str, ConceptRow], fields: tuple[str, ...], progress: Progress | None,
            stage: str) -> tuple[dict[str, int], int, int]:
    """Create new concepts and update changed ones by URI; return ({uri: id}, created, updated)."""
    existing = {obj.uri: obj for obj in model.objects.only("id", "uri", "labels", *fields)}
    new, changed = [], []
    for uri, row in rows.items():
        obj = existing.get(uri)
        values = {name: row.extra.get(name, "") for name in fields}
        if obj is None:
            new.append(model(uri=uri, labels=dict(row.labels), **values))
            continue
        labels = {**obj.labels, **row.labels}
        if labels != obj.labels or any(getattr(obj, name) != value for name, value in values.items()):
            obj.labels = labels
            for name, value in values.items():
                setattr(obj, name, value)
            changed.append(obj)
    done = 0
    for batch in _chunks(new):
        model.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress(stage, done, len(new) + len(changed))
    for batch in _chunks(changed, 500):
        model.objects.bulk_update(batch, ["labels", *fields])
        done += len(batch)
        if progress:
            progress(stage, done, len(new) + len(changed))
    ids = dict(model.objects.filter(uri__in=list(rows)).values_list("uri", "id")) if len(rows) < 5000 \
        else {uri: pk for uri, pk in model.objects.values_list("uri", "id") if uri in rows}
    return ids, len(new), len(changed)


def _replace_labels(label_model, fk: str, rows: dict[str, ConceptRow], ids: dict[str, int],
                    languages: list[str], progress: Progress | None, stage: str) -> int:
    """Rewrite the imported languages' labels of the concepts whose labels changed; return how many were written."""
    wanted: dict[int, set[tuple[str, str, bool]]] = {}
    for uri, row in rows.items():
        labels = wanted.setdefault(ids[uri], set())
        for language in languages:
            if language in row.labels:
                labels.add((language, row.labels[language][:500], True))
                labels.update((language, text, False) for text in row.alt.get(language, ()))
    existing: dict[int, set[tuple[str, str, bool]]] = {}
    for pk, language, text, preferred in label_model.objects.filter(language__in=languages).values_list(
            f"{fk}_id", "language", "text", "preferred").iterator(chunk_size=20000):
        if pk in wanted:
            existing.setdefault(pk, set()).add((language, text, preferred))
    changed = sorted(pk for pk, labels in wanted.items() if existing.get(pk, set()) != labels)
    for batch in _chunks(changed, 5000):
        label_model.objects.filter(language__in=languages, **{f"{fk}_id__in": batch}).delete()
    written = [label_model(**{f"{fk}_id": pk}, language=language, text=text, search=search_form(text)[:500],
                           preferred=preferred)
               for pk in changed for language, text, preferred in sorted(wanted[pk])]
    for done, batch in enumerate(_chunks(written, 5000), 1):
        label_model.objects.bulk_create(batch)
        if progress:
            progress(stage, min(done * 5000, len(written)), len(written))
    return len(written)


def _sync_relations(parsed: Parsed, occupation_ids: dict[str, int], progress: Progress | None,
                    result: ImportResult) -> None:
    if not parsed.relations:
        return
    all_occupations = dict(Occupation.objects.values_list("uri", "id"))
    all_skills = dict(Skill.objects.values_list("uri", "id"))
    wanted = {(all_occupations[o], all_skills[s]): kind for (o, s), kind in parsed.relations.items()}
    touched = {pair[0] for pair in wanted}
    existing = {}
    for batch in _chunks(sorted(touched), 5000):
        for pk, occ, skill, kind in OccupationSkill.objects.filter(occupation_id__in=batch).values_list(
                "id", "occupation_id", "skill_id", "relation"):
            existing[(occ, skill)] = (pk, kind)
    new = [OccupationSkill(occupation_id=o, skill_id=s, relation=kind)
           for (o, s), kind in wanted.items() if (o, s) not in existing]
    changed = [OccupationSkill(pk=existing[pair][0], relation=kind)
               for pair, kind in wanted.items() if pair in existing and existing[pair][1] != kind]
    stale = [pk for pair, (pk, _) in existing.items() if pair not in wanted]
    total = len(new) + len(changed) + len(stale)
    done = 0
    for batch in _chunks(new, 5000):
        OccupationSkill.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress("relations", done, total)
    for batch in _chunks(changed, 500):
        OccupationSkill.objects.bulk_update(batch, ["relation"])
        done += len(batch)
    for batch in _chunks(stale, 5000):
        OccupationSkill.objects.filter(pk__in=batch).delete()
        done += len(batch)
    if progress and total:
        progress("relations", total, total)
    result.relations_created, result.relations_updated, result.relations_deleted = len(new), len(changed), len(stale)


def _sync_broader(parsed: Parsed, result: ImportResult) -> None:
    """Replace the broader links of every skill the files place in the hierarchy."""
    if not parsed.broader:
        return
    ids = dict(Skill.objects.values_list("uri", "id"))
    touched = sorted(ids[uri] for uri in parsed.broader)
    for batch in _chunks(touched, 5000):
        SkillBroader.objects.filter(skill_id__in=batch).delete()
    links = [SkillBroader(skill_id=ids[uri], broader_uri=broader)
             for uri, broaders in parsed.broader.items() for broader in sorted(broaders)]
    for batch in _chunks(links, 5000):
        SkillBroader.objects.bulk_create(batch)
    result.broader = len(links)


def write(parsed: Parsed, progress: Progress | None = None) -> ImportResult:
    """Write what `parse` read, in one transaction: all of it or nothing."""
    result = ImportResult(languages=parsed.languages)
    with transaction.atomic():
        occ_ids, result.occupations_created, result.occupations_updated = _upsert(
            Occupation, parsed.occupations, ("code", "isco_group", "status"), progress, "occupations")
        skill_ids, result.skills_created, result.skills_updated = _upsert(
            Skill, parsed.skills, ("skill_type", "reuse_level", "status"), progress, "skills")
        result.labels = _replace_labels(OccupationLabel, "occupation", parsed.occupations, occ_ids,
                                        parsed.languages, progress, "occupation labels")
        result.labels += _replace_labels(SkillLabel, "skill", parsed.skills, skill_ids, parsed.languages,
                                         progress, "skill labels")
        _sync_relations(parsed, occ_ids, progress, result)
        _sync_broader(parsed, result)
        transaction.on_commit(lambda: imported.send(sender=Parsed, result=result))
    return result


def import_esco(directory: Path, languages: list[str] | None = None, progress: Progress | None = None) -> ImportResult:
    """Check every file, then write everything in one transaction; raise EscoImportError on a bad row."""
    return write(parse(Path(directory), languages, progress), progress)
