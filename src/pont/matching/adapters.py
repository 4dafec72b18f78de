"""Build the engine's arrays from the database, and turn its explanations into labelled, JSON-ready dicts.

Columns: a skill's column is its primary key, an occupation's likewise; languages are the ones the
vacancies at hand require; countries follow `right_to_work.WORK_COUNTRIES`. Right to work per person
and country comes from `pont.people.right_to_work.assess`, the same rules the person's page shows.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Max, Prefetch, QuerySet, signals
from django.utils import timezone, translation

from pont.core.i18n import language_name
from pont.core.models import Membership, Municipality
from pont.matching import engine, store
from pont.matching.choices import CONTRACT_BIT, VacancyStatus
from pont.matching.models import PastOccupation, Site, SkillProfile, Vacancy, VacancyLanguage, VacancySkill
from pont.people import right_to_work
from pont.people.choices import Cefr
from pont.people.models import LegalStatus, Person, PersonFile, PersonLanguage
from pont.taxonomy.esco_import import imported
from pont.taxonomy.models import Occupation, Skill, SkillBroader
from pont.taxonomy.related import related_matrix

COUNTRIES = right_to_work.WORK_COUNTRIES  # ("BE", "FR")
# Language columns every snapshot has, whatever the vacancies ask: an employer stating her needs asks in these.
WORKPLACE_LANGUAGES = ("deu", "eng", "fra", "nld")
_OUTCOME = {right_to_work.MAY_WORK: engine.MAY_WORK, right_to_work.NEEDS_PERMIT: engine.NEEDS_PERMIT,
            right_to_work.MAY_NOT_WORK: engine.MAY_NOT_WORK}


def weights() -> engine.Weights:
    """Return the weights configured in settings.PONT["MATCHING_WEIGHTS"] (defaults otherwise)."""
    configured = cast(dict[str, Any], settings.PONT.get("MATCHING_WEIGHTS", {}))
    return engine.Weights(**configured)


def person_queryset(qs):
    """Return `qs` with everything the adapter reads about people prefetched (five queries in all)."""
    return qs.select_related("municipality", "region", "skill_profile").prefetch_related(
        Prefetch("legal_statuses", queryset=LegalStatus.objects.all()),
        Prefetch("languages", queryset=PersonLanguage.objects.all()),
        "skill_profile__skills", "skill_profile__desired_occupations",
        Prefetch("skill_profile__past_occupations", queryset=PastOccupation.objects.select_related("occupation")),
    )


def vacancy_queryset(qs):
    """Return `qs` with everything the adapter reads about vacancies prefetched."""
    return qs.select_related("site__municipality__region", "occupation", "employer").prefetch_related(
        Prefetch("skill_links", queryset=VacancySkill.objects.all()),
        Prefetch("languages", queryset=VacancyLanguage.objects.all()),
    )


def open_vacancies():
    return vacancy_queryset(Vacancy.objects.filter(status=VacancyStatus.OPEN))


@dataclass
class Snapshot:
    """The engine's matcher with the ids of the rows it was built from."""

    matcher: engine.Matcher
    person_ids: np.ndarray   # row → Person pk (ascending)
    vacancy_ids: np.ndarray  # row → Vacancy pk (ascending)
    languages: list[str]     # language column → ISO 639-3 code
    places: dict[tuple[float, float], int] = field(default_factory=dict)  # (lat, lon) → row in the locations
    _memo: dict = field(default_factory=dict, repr=False)  # what is derived from this snapshot, by key

    def remember(self, key, compute):
        """Return `compute()` once per snapshot and key (e.g. an adviser's scope rows)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def person_row(self, pk: int) -> int | None:
        return _row(self.person_ids, pk)

    def vacancy_row(self, pk: int) -> int | None:
        return _row(self.vacancy_ids, pk)

    def person_rows(self, pks) -> np.ndarray:
        """Return the rows of those of `pks` that are in the snapshot."""
        pks = np.asarray(list(pks), dtype=np.int64)
        at = np.searchsorted(self.person_ids, pks)
        found = (at < len(self.person_ids)) & (self.person_ids[np.minimum(at, len(self.person_ids) - 1)] == pks)
        return at[found]


def needs_vacancy(snapshot: Snapshot, *, site: Site, essential: Sequence[int], optional: Sequence[int] = (),
                  occupation: int | None = None, languages: dict[str, str] | None = None,
                  contract: str | None = None) -> engine.Vacancies:
    """Return an employer's stated needs as one vacancy row in the snapshot's columns (nothing is saved).

    Raise KeyError(code) for a language the snapshot has no column for (no vacancy asks for it and it is not
    one of WORKPLACE_LANGUAGES: nobody's level in it is known to the snapshot).
    """
    width = snapshot.matcher.p_skills.shape[1]
    lat, lon = site.municipality.latitude, site.municipality.longitude
    location = snapshot.places.get((float(lat), float(lon)), 0) if lat is not None else 0
    levels = np.zeros((1, len(snapshot.languages)), dtype=np.int8)
    for code, level in (languages or {}).items():
        if code not in snapshot.languages:
            raise KeyError(code)
        levels[0, snapshot.languages.index(code)] = engine.cefr_rank(level)
    essential_cols = [s for s in dict.fromkeys(essential) if s < width]
    optional_cols = [s for s in dict.fromkeys(optional) if s < width and s not in essential_cols]
    return engine.Vacancies(
        ids=np.array([0], dtype=np.int64), essential=_csr([0] * len(essential_cols), essential_cols, (1, width)),
        optional=_csr([0] * len(optional_cols), optional_cols, (1, width)),
        occupation=np.array([occupation if occupation is not None and occupation < snapshot.matcher.n_occ
                             else 0], dtype=np.int64),
        location=np.array([location], dtype=np.int64),
        country=np.array([COUNTRIES.index(site.municipality.region.country)], dtype=np.int64),
        languages=levels, training=np.zeros(1, dtype=bool),
        contract=np.array([CONTRACT_BIT.get(contract or "", 0)], dtype=np.int64))


def profile_of(person: Person) -> SkillProfile | None:
    try:
        return person.skill_profile
    except SkillProfile.DoesNotExist:
        return None


def _row(ids: np.ndarray, pk: int) -> int | None:
    at = int(np.searchsorted(ids, pk))
    return at if at < len(ids) and ids[at] == pk else None


def _region_centres() -> dict[int, tuple[float, float]]:
    rows = Municipality.objects.values("region_id").annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    return {r["region_id"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def _rows_of(ids: np.ndarray, keys) -> np.ndarray:
    """Return the rows (in the sorted `ids`) of `keys`, each of which is one of them."""
    return np.searchsorted(ids, np.asarray(keys, dtype=np.int64)).astype(np.int64)


def _csr(rows, cols, shape, values=None) -> sp.csr_matrix:
    data = np.ones(len(rows)) if values is None else np.asarray(values, dtype=np.float64)
    return sp.csr_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))), shape=shape)


def build(persons: QuerySet[Person], vacancies: QuerySet[Vacancy], today: dt.date | None = None) -> Snapshot:
    """Return a matcher over the people of `persons` × the vacancies of `vacancies` (querysets).

    Everything is read as tuples (`values_list`), one query per table, never as model objects: the
    engine's inputs for 100,000 people and 50,000 vacancies are a few million small tuples.
    """
    today = today or timezone.localdate()
    persons, vacancies = persons.order_by(), vacancies.order_by()
    person_rows = sorted(persons.values_list("pk", "municipality__latitude", "municipality__longitude",
                                             "region_id", "region__country"))
    vacancy_rows = sorted(vacancies.values_list(
        "pk", "occupation_id", "site__municipality__latitude", "site__municipality__longitude",
        "site__municipality__region__country", "shop_floor_training", "contract_type"))
    p_ids = np.array([r[0] for r in person_rows], dtype=np.int64)
    v_ids = np.array([r[0] for r in vacancy_rows], dtype=np.int64)
    n, m = len(p_ids), len(v_ids)
    v_skill = list(VacancySkill.objects.filter(vacancy__in=vacancies).values_list("vacancy_id", "skill_id",
                                                                                  "relation"))
    v_lang = list(VacancyLanguage.objects.filter(vacancy__in=vacancies).values_list("vacancy_id", "code", "level"))
    languages = sorted({code for _, code, _ in v_lang} | set(WORKPLACE_LANGUAGES))
    lang_col = {code: i for i, code in enumerate(languages)}

    places: dict[tuple[float, float], int] = {}
    centres: dict[int, tuple[float, float]] | None = None

    def place(lat, lon, region_id=None) -> int:
        nonlocal centres
        if lat is not None:
            key = (float(lat), float(lon))
        else:
            centres = centres if centres is not None else _region_centres()
            key = centres.get(region_id, (50.6, 3.3))
        return places.setdefault(key, len(places))

    # People: profile, skills, past and desired occupations, languages, the status history.
    profiles = {pid: (radius, cross, wishes) for pid, radius, cross, wishes in SkillProfile.objects.filter(
        person__in=persons).values_list("person_id", "travel_radius_km", "cross_border", "contract_wishes")}
    p_skill = list(SkillProfile.skills.through.objects.filter(skillprofile__person__in=persons)
                   .values_list("skillprofile__person_id", "skill_id"))
    p_exp = list(PastOccupation.objects.filter(profile__person__in=persons)
                 .values_list("profile__person_id", "occupation_id", "years"))
    p_des = list(SkillProfile.desired_occupations.through.objects.filter(skillprofile__person__in=persons)
                 .values_list("skillprofile__person_id", "occupation_id"))
    p_lang = [(pid, code, level) for pid, code, level in PersonLanguage.objects.filter(person__in=persons)
              .values_list("person_id", "code", "level") if code in lang_col]
    history: dict[int, list[right_to_work.StatusFact]] = {}
    for pid, status, where, start, end, decision, claim, authorised in LegalStatus.objects.filter(
            person__in=persons).order_by("person_id", "-start_date", "-id").values_list(
            "person_id", "status", "country", "start_date", "end_date", "decision_date", "claim_date",
            "work_authorisation_date"):
        history.setdefault(pid, []).append(
            right_to_work.StatusFact(status, where, start, end, decision, claim, authorised))
    assessed: dict[tuple, list[int]] = {}  # people with the same history get the same answer, computed once

    def rights(facts: list[right_to_work.StatusFact]) -> list[int]:
        key = tuple(facts)
        if key not in assessed:
            assessed[key] = [_OUTCOME[right_to_work.assess(facts, c, today).outcome] for c in COUNTRIES]
        return assessed[key]

    radius, cross, wishes, location, rtw, country = [], [], [], [], [], []
    for pid, lat, lon, region_id, home in person_rows:
        profile = profiles.get(pid)
        radius.append(profile[0] if profile else 30)
        cross.append(profile[1] if profile else False)
        wishes.append(sum(1 << CONTRACT_BIT[c] for c in (profile[2] if profile else []) if c in CONTRACT_BIT))
        location.append(place(lat, lon, region_id))
        rtw.append(rights(history.get(pid, [])))
        country.append(COUNTRIES.index(home))
    langs = np.zeros((n, len(languages)), dtype=np.int8)
    if p_lang:
        langs[_rows_of(p_ids, [r[0] for r in p_lang]), [lang_col[r[1]] for r in p_lang]] = \
            [engine.cefr_rank(r[2]) for r in p_lang]

    # Vacancies.
    v_occ, v_loc, v_country, v_training, v_contract = [], [], [], [], []
    for _pk, occupation, lat, lon, home, training, contract in vacancy_rows:
        v_occ.append(occupation)
        v_loc.append(place(lat, lon))
        v_country.append(COUNTRIES.index(home))
        v_training.append(training)
        v_contract.append(CONTRACT_BIT.get(contract, 0))
    v_langs = np.zeros((m, len(languages)), dtype=np.int8)
    if v_lang:
        v_langs[_rows_of(v_ids, [r[0] for r in v_lang]), [lang_col[r[1]] for r in v_lang]] = \
            [engine.cefr_rank(r[2]) for r in v_lang]
    essential = [(v, s) for v, s, relation in v_skill if relation == "essential"]
    optional = [(v, s) for v, s, relation in v_skill if relation != "essential"]

    # Every skill and occupation has a column (an employer's stated needs may name any of them).
    max_skill = max([1, Skill.objects.aggregate(top=Max("pk"))["top"] or 0,
                     *(s for _, s in p_skill), *(s for _, s, _ in v_skill)]) + 1
    max_occupation = max([1, Occupation.objects.aggregate(top=Max("pk"))["top"] or 0, *v_occ,
                          *(o for _, o, _ in p_exp), *(o for _, o in p_des)]) + 1
    for lat, lon in Site.objects.values_list("municipality__latitude", "municipality__longitude"):
        place(lat, lon)  # every site is a place: needs stated for a site without open vacancies are scored too

    def by_person(entries, width, values=None):
        return _csr(_rows_of(p_ids, [e[0] for e in entries]), [e[1] for e in entries], (n, width), values)

    def by_vacancy(entries):
        return _csr(_rows_of(v_ids, [e[0] for e in entries]), [e[1] for e in entries], (m, max_skill))

    people = engine.People(
        ids=p_ids, skills=by_person(p_skill, max_skill),
        experience=by_person(p_exp, max_occupation, [float(e[2]) for e in p_exp]),
        desired=by_person(p_des, max_occupation), location=np.array(location, dtype=np.int64),
        radius_km=np.array(radius, dtype=np.float64), languages=langs,
        right_to_work=np.array(rtw, dtype=np.int8).reshape(n, len(COUNTRIES)),
        country=np.array(country, dtype=np.int64), cross_border=np.array(cross, dtype=bool),
        contract_wishes=np.array(wishes, dtype=np.int64),
    )
    jobs = engine.Vacancies(
        ids=v_ids, essential=by_vacancy(essential), optional=by_vacancy(optional),
        occupation=np.array(v_occ, dtype=np.int64), location=np.array(v_loc, dtype=np.int64),
        country=np.array(v_country, dtype=np.int64), languages=v_langs, training=np.array(v_training, dtype=bool),
        contract=np.array(v_contract, dtype=np.int64),
    )
    coords = sorted(places, key=lambda at: places[at]) or [(50.6, 3.3)]
    locations = engine.Locations(lat=np.array([c[0] for c in coords]), lon=np.array([c[1] for c in coords]))
    matcher = engine.Matcher(people, jobs, locations, weights(), related=related_skills(max_skill))
    return Snapshot(matcher, p_ids, v_ids, languages, places=dict(places))


def related_skills(width: int) -> sp.csr_matrix:
    """Return the related-skill matrix over skill columns (primary keys) below `width`, from ESCO's hierarchy."""
    links = list(SkillBroader.objects.filter(skill_id__lt=width).values_list("skill_id", "broader_uri"))
    broader_skills = dict(Skill.objects.filter(uri__in={uri for _, uri in links}).values_list("uri", "pk"))
    return related_matrix(links, broader_skills, width)


# --- One snapshot per process, kept current -----------------------------------------------------------------
# Every write that changes what matching reads (a vacancy, its skills or languages, a site, a skill profile,
# a person's place, languages or status history) gives the data a new version token (signals below, in the
# shared cache so that every worker sees it). A process rebuilds its snapshot when the token or the day (the
# right to work depends on the date) is not the one it was built for, and otherwise answers from memory.

_VERSION_KEY = "pont:matching:version"
_snapshot: dict[str, Any] = {}
_snapshot_lock = threading.Lock()


def changed(**_ignored: Any) -> None:
    """Give matching's data a new version (now, and again when the transaction commits, so that a worker
    that rebuilt in between with the old rows rebuilds once more)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None))


def version() -> str:
    token = cache.get(_VERSION_KEY)
    if token is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(_VERSION_KEY)
    return str(token)


def build_all() -> Snapshot:
    """Build the snapshot of every person × every open vacancy."""
    return build(Person.objects.all(), Vacancy.objects.filter(status=VacancyStatus.OPEN))


def current() -> Snapshot:
    """Return this process's snapshot of every person × every open vacancy, rebuilt only after a change.

    PONT["MATCHING_REBUILD"] says how a change is taken in:
    - "shared" (what `make run` serves): the task worker builds the new snapshot and writes it as files
      (matching/store.py) that every web worker maps into memory — one copy for all of them, and taking it
      in costs milliseconds; requests go on with the previous snapshot meanwhile. Should no task worker
      answer within a minute, the process builds it in a thread itself (and writes it for the others).
    - "background": a thread of each process builds it while requests go on with the previous snapshot.
    - "inline": the next request builds it (tests).
    The first snapshot of a process, and the first of a new day (the right to work depends on the date),
    are taken within the request: mapped from the files when they are there, else built (and written).
    """
    if not settings.PONT.get("MATCHING_SNAPSHOT_CACHE", True):
        return build_all()
    mode = settings.PONT.get("MATCHING_REBUILD")
    key = (version(), timezone.localdate())
    with _snapshot_lock:
        built: Snapshot | None = _snapshot.get("snapshot")
        if built is not None and _snapshot.get("key") == key:
            return built
        if mode == "shared":
            shared = load_shared(key)
            if shared is not None:
                _snapshot["snapshot"], _snapshot["key"] = shared, key
                return shared
        stale_usable = built is not None and _snapshot["key"][1] == key[1]
        if stale_usable and mode == "shared" and not _overdue(key):
            return cast(Snapshot, built)
        if stale_usable and mode in ("background", "shared"):
            if _snapshot.get("building") != key:
                _snapshot["building"] = key
                threading.Thread(target=_rebuild, args=(key,), name="matching-snapshot", daemon=True).start()
            return cast(Snapshot, built)
        _snapshot["snapshot"], _snapshot["key"] = build_all(), key
        if mode == "shared":
            save_shared(_snapshot["snapshot"], key)
        return _snapshot["snapshot"]


def _rebuild(key: tuple) -> None:
    from django.db import connections

    try:
        snapshot = build_all()
        if settings.PONT.get("MATCHING_REBUILD") == "shared":
            save_shared(snapshot, key)
        with _snapshot_lock:
            if _snapshot.get("building") == key:
                _snapshot["snapshot"], _snapshot["key"] = snapshot, key
    finally:
        with _snapshot_lock:
            if _snapshot.get("building") == key:
                _snapshot.pop("building")
        connections.close_all()  # this thread's own connections


# --- Snapshots shared between processes (files mapped into memory) --------------------------------------------

_REQUESTED_KEY = "pont:matching:requested:{token}:{day}"
_TASK_PATIENCE_S = 60  # how long a process waits for the task worker before building a snapshot itself


def current_key() -> tuple[str, dt.date]:
    return version(), timezone.localdate()


def shared_folder(key: tuple[str, dt.date]) -> Path:
    token, day = key
    return Path(settings.VAR_DIR) / "matching-snapshots" / f"{day.isoformat()}-{token}"


def save_shared(snapshot: Snapshot, key: tuple[str, dt.date]) -> Path:
    """Write the snapshot for `key` as files the other processes map (the folder of an older one is pruned)."""
    snapshot.matcher._overlap_operator()  # the inverted indexes are built once, here, not in every process
    snapshot.matcher._people_index()
    folder = store.save({"matcher": snapshot.matcher, "person_ids": snapshot.person_ids,
                         "vacancy_ids": snapshot.vacancy_ids, "languages": snapshot.languages,
                         "places": snapshot.places}, shared_folder(key))
    store.prune(folder.parent)
    return folder


def load_shared(key: tuple[str, dt.date]) -> Snapshot | None:
    """Return the snapshot written for `key`, mapped from its files; None when it is not written (yet)."""
    folder = shared_folder(key)
    if not store.exists(folder):
        return None
    return Snapshot(**store.load(folder))


def _overdue(key: tuple[str, dt.date]) -> bool:
    """Ask the task worker for the snapshot of `key` (once per key, whichever process asks first); return
    whether it was asked so long ago that it does not seem to be running."""
    from pont.matching import tasks

    name = _REQUESTED_KEY.format(token=key[0], day=key[1].isoformat())
    if cache.add(name, time.time(), timeout=3600):
        transaction.on_commit(lambda: tasks.build_snapshot.enqueue())
        return False
    asked = cache.get(name)
    return asked is not None and time.time() - float(asked) > _TASK_PATIENCE_S


def forget() -> None:
    """Drop this process's snapshot (the next request builds one): for tests that start from nothing."""
    with _snapshot_lock:
        _snapshot.clear()


def rebuilding() -> bool:
    """Whether a background rebuild is under way (for tests and the bench)."""
    with _snapshot_lock:
        return "building" in _snapshot


for _model in (Vacancy, VacancySkill, VacancyLanguage, Site, SkillProfile, PastOccupation, Person, PersonLanguage,
               LegalStatus, PersonFile, Membership):  # files and memberships: who is in an adviser's scope
    signals.post_save.connect(changed, sender=_model, dispatch_uid=f"matching-{_model._meta.label}-save")
    signals.post_delete.connect(changed, sender=_model, dispatch_uid=f"matching-{_model._meta.label}-delete")
imported.connect(changed, dispatch_uid="matching-taxonomy-imported")  # new skill relations and labels
for _through in (SkillProfile.skills.through, SkillProfile.desired_occupations.through):
    signals.m2m_changed.connect(changed, sender=_through, dispatch_uid=f"matching-{_through._meta.label}")


def describe(explanation: engine.Explanation, languages: list[str], language: str | None = None) -> dict:
    """Return the explanation as JSON-ready data with skill labels and language names in `language`."""
    return describe_all([explanation], languages, language)[0]


def describe_all(explanations: Sequence[engine.Explanation], languages: list[str],
                 language: str | None = None) -> list[dict]:
    """Return each explanation as `describe` does, the skill labels of all of them read in one query."""
    language = (language or translation.get_language() or "en").split("-")[0]
    ids = {s for e in explanations for s in (*e.essential_met, *e.essential_missing, *e.optional_met,
                                             *e.optional_missing)}
    ids |= {s for e in explanations for pair in (*e.essential_related, *e.optional_related) for s in pair}
    skills = Skill.objects.in_bulk(list(ids))

    def labelled(columns):
        return [{"id": s, "label": skills[s].label(language) if s in skills else str(s)} for s in columns]

    return [_described(e, labelled, languages, language) for e in explanations]


def _described(explanation: engine.Explanation, labelled, languages: list[str], language: str) -> dict:
    return {
        "essential_met": labelled(explanation.essential_met),
        "essential_missing": labelled(explanation.essential_missing),
        "trainable": explanation.trainable,
        "optional_met": labelled(explanation.optional_met),
        "optional_missing": labelled(explanation.optional_missing),
        "essential_related": [{**labelled([asked])[0], "via": labelled([held])[0]}
                              for asked, held in explanation.essential_related],
        "optional_related": [{**labelled([asked])[0], "via": labelled([held])[0]}
                             for asked, held in explanation.optional_related],
        "language_gaps": [
            {"language": languages[col], "name": language_name(languages[col], language),
             "required": engine.CEFR_NAMES[required], "level": engine.CEFR_NAMES[has],
             "level_label": str(Cefr(engine.CEFR_NAMES[has]).label)}
            for col, required, has in explanation.language_gaps
        ],
        "distance_km": explanation.distance_km,
        "radius_km": explanation.radius_km,
        "within_radius": explanation.within_radius,
        "right_to_work": explanation.right_to_work,
        "cross_border": explanation.cross_border,
        "experience_years": explanation.experience_years,
        "desired_occupation": explanation.desired_occupation,
        "contract_wished": explanation.contract_wished,
        "parts": explanation.parts,
    }




def score_pair(person_pk: int, vacancy_pk: int) -> tuple[Snapshot, engine.Match]:
    """Return one pair's score and explanation, whatever the vacancy's status (a proposal's card)."""
    snapshot = build(Person.objects.filter(pk=person_pk), Vacancy.objects.filter(pk=vacancy_pk))
    return snapshot, snapshot.matcher.score_pair(0, 0)
