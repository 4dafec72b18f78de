"""The matching engine: scores person × vacancy pairs and explains each score. Pure numpy/scipy, no Django.

Inputs are column-indexed arrays built by `pont.matching.adapters` (skills and occupations are columns of
sparse matrices, places are rows of a small location table). Every score is computed for arrays of
pairs at once — one person against every vacancy, one vacancy against every person, or a whole batch —
by the same vectorised function (`Matcher._core`), so that every path gives bit-identical scores;
explanations are built for the few pairs that are returned.

How it stays fast (no Python loop over pairs):

- Everything that depends only on the vacancies is computed once when the `Matcher` is built: skill
  counts and weights, the skill → vacancy and occupation → vacancy inverted index (one CSR matrix whose
  entries pack essential, optional and occupation hits), a road-distance table between places, the
  distinct language-requirement patterns and (country, contract) codes.
- Per person, the terms that depend on the person and only a few vacancy columns (distance per place,
  language credit per pattern, right-to-work × contract factor per code) are small tables; a pair's
  score is then a few look-ups plus its skill overlap.
- Only vacancies sharing a skill or an occupation with the person ("candidates") are scored pair by pair:
  for one person through the inverted index, for a batch through one sparse product per block of people.
  Any other vacancy scores like the others of its group of look-alikes (same place, language pattern,
  country, contract, empty skill lists), so a person whose `limit`-th candidate does not beat what such
  a vacancy could reach gets the best groups added, all such people of a block at once. Exact either way.

How a pair is scored (weights in `Weights`, all components in 0–1):

    score = (essential·E + optional·O + language·L + distance·D + experience·X + fit·F) / Σ weights
            × right-to-work factor × contract factor

Skills weigh by rarity: a skill's weight is round(4 × (1 + ln((1 + m) / (1 + df)))), df being the number of
the m vacancies listing it (TF-IDF's smoothed IDF, as integers so that every path sums them exactly).
A skill the person does not have but that is related to one they have (ESCO: the same skill group, or
broader/narrower; `pont.taxonomy.related`) earns `related_credit` of its weight in E and O.

- E: weighted share of the vacancy's essential skills the person has (related ones partly). If the vacancy
  offers shop-floor training and at most `trainable_max_missing_share` of that weight is missing, the
  missing part counts `training_credit` (the gap is shown as "can be learned on the shop floor").
- O: the same for the optional skills (1 when the vacancy lists none).
- F: how well the two skill lists fit: shared weight / √(weight the vacancy lists × weight the person holds),
  i.e. the cosine of the two rarity-weighted skill sets (1 when the vacancy lists none). Someone with many
  unrelated skills, or a vacancy listing very few, does not win on E alone; a skill of the person's that is
  related to one listed is left out of what they hold (it is not held against them).
  bench/matching_quality.py (demo ESCO sample, 3 seeds, mean MRR of the true occupation): 0.961 at moderate
  noise and 0.783 in the hard setting; without related credit 0.964 / 0.789; TF-IDF cosine 0.963 / 0.781;
  the former engine (share of skills met plus a focus share) 0.947 / 0.756.
- L: per required language, 1 when the person's CEFR level reaches the requirement, minus 1/3 per level
  short; averaged over the vacancy's required languages (1 when none).
- D: road distance (great-circle × `road_factor`) against the person's travel radius: from 1 at the door
  to 1 − `inside_radius_slope` at the radius, then decaying by e every `beyond_radius_decay_km`.
- X: years in the vacancy's occupation (full credit at `full_experience_years`), or `desired_credit`
  when the person wishes to work in that occupation.
- Right to work in the vacancy's country: may work ×1, needs a permit ×`needs_permit_factor`,
  may not work → never proposed. A person unwilling to work across the border is never proposed a
  vacancy in the other country. A contract type the person does not wish: ×`contract_mismatch_factor`.
"""

from __future__ import annotations

import math
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp

# Right to work, one code per person × country (pont.people.right_to_work outcomes).
MAY_WORK, NEEDS_PERMIT, MAY_NOT_WORK = 0, 1, 2
RIGHT_TO_WORK = ("may_work", "needs_permit", "may_not_work")

# CEFR levels as ranks: the language arrays hold these small integers.
CEFR_RANK = {"": 0, "none": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
CEFR_NAMES = ("none", "A1", "A2", "B1", "B2", "C1", "C2", "native")

EARTH_RADIUS_KM = 6371.0088
Overlaps = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # essential credit, optional credit, exact, near
CREDIT_UNITS = 4  # a skill held earns 4 units of its weight, a related one round(4 × related_credit)
RARITY_SCALE = 4  # skill weights are integers: round(4 × IDF), so that every path sums them exactly
_EXCLUDED = -1.0  # score of a pair that is never proposed


@dataclass(frozen=True)
class Weights:
    """How much each part counts. Change them per deployment (settings.PONT["MATCHING_WEIGHTS"])."""

    essential: float = 0.08          # weighted share of essential skills met (related skills: partial credit)
    optional: float = 0.02           # the same for optional skills
    language: float = 0.15           # language requirements met
    distance: float = 0.15           # distance against the travel radius
    experience: float = 0.15         # years in the occupation, or the wish to work in it
    fit: float = 0.95                # how well the two skill lists fit each other: √(share of the vacancy's
    #                                  skills the person has × share of the person's skills the vacancy asks),
    #                                  each share weighted by rarity (unrelated skills and very short skill
    #                                  lists do not win on their own)
    related_credit: float = 0.5      # credit of a related skill (same ESCO group, broader/narrower) for one asked
    rare_skills: bool = True         # rarer skills weigh more (an IDF weight computed from the vacancies)
    needs_permit_factor: float = 0.7  # multiplier when the employer must apply for a work permit
    contract_mismatch_factor: float = 0.85  # multiplier when the contract type is not among the wishes
    training_credit: float = 0.6     # credit for an essential skill the vacancy's shop-floor training can teach
    trainable_max_missing_share: float = 0.5  # training closes a gap of at most this share of the essentials
    road_factor: float = 1.3         # road km per great-circle km (the region's average detour)
    inside_radius_slope: float = 0.2  # score lost between the door and the edge of the travel radius
    beyond_radius_decay_km: float = 25.0  # beyond the radius, the distance score falls by e every this many km
    full_experience_years: float = 5.0   # years in the occupation that earn full experience credit
    desired_credit: float = 0.6      # experience credit for an occupation the person wishes to work in
    language_step: float = 1 / 3     # credit lost per CEFR level short of a requirement

    def __post_init__(self) -> None:
        parts = (self.essential, self.optional, self.language, self.distance, self.experience, self.fit)
        if min(parts) < 0 or sum(parts) <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        for name in ("needs_permit_factor", "contract_mismatch_factor", "training_credit", "related_credit",
                     "inside_radius_slope", "desired_credit"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must lie between 0 and 1")
        if not 0 <= self.trainable_max_missing_share < 1:  # a vacancy sharing nothing is never trainable
            raise ValueError("trainable_max_missing_share must lie in [0, 1)")
        if self.road_factor < 1 or self.beyond_radius_decay_km <= 0 or self.full_experience_years <= 0:
            raise ValueError("road_factor ≥ 1, beyond_radius_decay_km > 0 and full_experience_years > 0")

    @property
    def total(self) -> float:
        return self.essential + self.optional + self.language + self.distance + self.experience + self.fit


@dataclass
class Locations:
    """Places (municipalities) as rows: latitude and longitude in degrees (WGS84)."""

    lat: np.ndarray
    lon: np.ndarray

    def __len__(self) -> int:
        return len(self.lat)


@dataclass
class People:
    """n people as rows. Skill and occupation columns are shared with `Vacancies`."""

    ids: np.ndarray                  # (n,) int64 — the caller's ids
    skills: sp.csr_matrix            # (n, S) 1 where the person has the skill
    experience: sp.csr_matrix        # (n, O) years in each past occupation
    desired: sp.csr_matrix           # (n, O) 1 for each occupation the person wishes to work in
    location: np.ndarray             # (n,) row in `Locations`
    radius_km: np.ndarray            # (n,) travel radius
    languages: np.ndarray            # (n, L) CEFR rank (CEFR_RANK) per tracked language
    right_to_work: np.ndarray        # (n, C) MAY_WORK / NEEDS_PERMIT / MAY_NOT_WORK per country
    country: np.ndarray              # (n,) country of residence (column of right_to_work)
    cross_border: np.ndarray         # (n,) bool — willing to work in the other country
    contract_wishes: np.ndarray      # (n,) bit mask of wished contract types; 0 = any

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Vacancies:
    """m vacancies as rows."""

    ids: np.ndarray                  # (m,) int64
    essential: sp.csr_matrix         # (m, S) 1 for each essential skill
    optional: sp.csr_matrix          # (m, S) 1 for each optional skill
    occupation: np.ndarray           # (m,) occupation column
    location: np.ndarray             # (m,) row in `Locations`
    country: np.ndarray              # (m,) country (column of People.right_to_work)
    languages: np.ndarray            # (m, L) required CEFR rank per tracked language, 0 = not required
    training: np.ndarray             # (m,) bool — open to shop-floor training
    contract: np.ndarray             # (m,) contract type (bit number in People.contract_wishes)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Explanation:
    """Why a pair scored what it did. Skills are columns; the adapter turns them into labels."""

    essential_met: tuple[int, ...]
    essential_missing: tuple[int, ...]
    trainable: bool                  # the missing essential skills can be learned in the vacancy's training
    optional_met: tuple[int, ...]
    optional_missing: tuple[int, ...]
    language_gaps: tuple[tuple[int, int, int], ...]  # (language column, required rank, person's rank)
    distance_km: float
    radius_km: float
    within_radius: bool
    right_to_work: str               # may_work / needs_permit / may_not_work
    cross_border: bool               # the vacancy is in another country than the person's residence
    experience_years: float
    desired_occupation: bool
    contract_wished: bool
    parts: dict[str, float] = field(default_factory=dict)  # each component's value, 0–1
    essential_related: tuple[tuple[int, int], ...] = ()  # (skill asked, the person's related skill): partial credit
    optional_related: tuple[tuple[int, int], ...] = ()
    skill_weights: dict[int, int] = field(default_factory=dict)  # weight of each skill the vacancy lists

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Match:
    person: int                      # caller's id
    vacancy: int                     # caller's id
    score: float                     # 0–1
    explanation: Explanation


def rarity_weights(listed_by: np.ndarray, vacancies: int, rare: bool = True) -> np.ndarray:
    """Return each skill column's integer weight: round(RARITY_SCALE × (1 + ln((1 + m) / (1 + df)))), where df
    is the number of the m vacancies listing it (the smoothed IDF of TF-IDF), or 1 for every skill."""
    df = np.asarray(listed_by, dtype=np.float64)
    if not rare:
        return np.ones(len(df), dtype=np.int64)
    return np.maximum(np.rint(RARITY_SCALE * (1 + np.log((1 + vacancies) / (1 + df)))), 1).astype(np.int64)


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Return great-circle distances in km between arrays of points (degrees), element-wise."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=np.float64)) for a in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


class _SparseLookup:
    """Vectorised look-up of a sparse matrix's values at arbitrary (row, column) pairs."""

    def __init__(self, matrix: sp.csr_matrix):
        self.matrix = _clean(matrix.astype(np.float64))
        coo = matrix.tocoo()
        self.width = np.int64(matrix.shape[1])
        keys = coo.row.astype(np.int64) * self.width + coo.col.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = coo.data[order].astype(np.float64)

    def __call__(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.zeros(np.broadcast(rows, cols).shape)
        wanted = np.asarray(rows, dtype=np.int64) * self.width + np.asarray(cols, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[at] == wanted, self.values[at], 0.0)


_PART_NAMES = ("essential", "optional", "language", "distance", "experience", "fit")


class _Tables:
    """Per-person look-up tables for a set of people (rows): everything in a score that depends only on the
    person and on a few columns of the vacancy (place, language requirements, country and contract)."""

    __slots__ = ("dist", "factor", "km", "lang", "n_code", "n_loc", "n_pat")

    def __init__(self, dist, km, lang, factor):
        self.dist, self.km, self.lang, self.factor = dist, km, lang, factor
        self.n_loc, self.n_pat, self.n_code = dist.shape[1], lang.shape[1], factor.shape[1]


class Matcher:
    """Scores and ranks; build once per data snapshot, then ask for as many rankings as needed.

    Everything about a vacancy that does not depend on the person is computed once here: skill totals,
    the skill → vacancy and occupation → vacancy inverted indexes, a road-distance table between places,
    the distinct language-requirement patterns and (country, contract) codes, and groups of vacancies
    that look alike to someone sharing no skill and no occupation with them.
    """

    # Fields of the packed overlap of a pair (int64): optional and essential skill credit (16 bits each), the
    # weight of the skills both list and of the person's skills related to one listed (14 bits each), the
    # occupation flag.
    _ESS_SHIFT, _EXACT_SHIFT, _NEAR_SHIFT, _OCC_SHIFT = 16, 32, 46, 60
    _CREDIT_FIELD, _WEIGHT_FIELD = (1 << 16) - 1, (1 << 14) - 1
    _MAX_LOCATIONS_FOR_TABLE = 4096
    _BINS = 1024  # score histogram used to cut each person's candidates down to their best few

    def __init__(self, people: People, vacancies: Vacancies, locations: Locations,
                 weights: Weights | None = None, related: sp.spmatrix | None = None,
                 skill_weights: np.ndarray | None = None):
        self.w = weights or Weights()
        if people.skills.shape[1] != vacancies.essential.shape[1] or \
                vacancies.optional.shape != vacancies.essential.shape:
            raise ValueError("people and vacancies must share the same skill columns")
        if people.experience.shape != people.desired.shape:
            raise ValueError("experience and desired occupations must share the same occupation columns")
        if people.languages.shape[1] != vacancies.languages.shape[1]:
            raise ValueError("people and vacancies must share the same language columns")
        self._init_people(people, locations, related)
        listed = (vacancies.essential + vacancies.optional) > 0
        self.skill_weight = skill_weights if skill_weights is not None else \
            rarity_weights(np.asarray(listed.sum(axis=0)).ravel(), len(vacancies), self.w.rare_skills)
        self.p_total = (self.p_skills @ self.skill_weight.astype(np.float64)).astype(np.float64)
        if self.p_total.max(initial=0) > self._WEIGHT_FIELD:
            raise ValueError("a person holds more skills than the engine can weigh")
        self._init_vacancies(vacancies)

    def for_vacancies(self, vacancies: Vacancies) -> Matcher:
        """Return a matcher of the same people against other vacancies (an employer's stated needs), with
        this one's places, related skills and skill weights: the people's side is shared, not rebuilt."""
        other = object.__new__(Matcher)
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k in self._PEOPLE_SIDE})
        other._init_vacancies(vacancies)
        return other

    _PEOPLE_SIDE = frozenset({
        "w", "p", "loc", "p_skills", "related", "p_related", "p_credit", "p_lang", "years", "desire", "radius",
        "p_loc", "p_country", "p_rtw", "p_cross", "p_wishes", "p_links", "credit", "_credit", "n_occ", "_table",
        "_p_info", "skill_weight", "p_total", "_own_units", "_related_units", "_people_by_feature"})

    def _init_people(self, people: People, locations: Locations, related: sp.spmatrix | None) -> None:
        """Everything that depends on the people (and places) only."""
        w = self.w
        self.p, self.loc = people, locations
        n_skills = people.skills.shape[1]
        self.p_skills = _clean((people.skills.tocsr() > 0).astype(np.float32))
        # Related skills (ESCO broader/narrower, same skill group): the person's skills that are related to
        # one of theirs without being theirs earn `related_credit` of a skill.
        self._own_units, self._related_units = CREDIT_UNITS, round(CREDIT_UNITS * w.related_credit)
        if related is None or not self._related_units:
            related = sp.csr_matrix((n_skills, n_skills), dtype=np.float32)
        related = related.tocsr()[:n_skills, :n_skills] if related.shape[0] >= n_skills else \
            sp.vstack([related.tocsr(), sp.csr_matrix((n_skills - related.shape[0], related.shape[1]))]).tocsr()
        if related.shape[1] != n_skills:
            related = sp.hstack([related, sp.csr_matrix((n_skills, max(n_skills - related.shape[1], 0)))]) \
                .tocsr()[:, :n_skills]
        related = ((related + related.T) > 0).astype(np.float32).tocsr()
        related.setdiag(0)
        self.related = _clean(related)
        reach = (self.p_skills @ self.related) > 0
        self.p_related = _clean((reach.astype(np.float32) - self.p_skills.multiply(reach)).astype(np.float32))
        self.p_credit = _clean((self.p_skills * self._own_units + self.p_related * self._related_units)
                               .astype(np.float64))
        self.p_lang = np.ascontiguousarray(people.languages, dtype=np.int8)
        experience, desired = people.experience.tocsr(), people.desired.tocsr()
        self.years = _SparseLookup(experience)
        self.desire = _SparseLookup(desired)
        self.radius = np.maximum(people.radius_km.astype(np.float64), 1.0)
        self.p_loc = np.asarray(people.location, dtype=np.int64)
        self.p_country = np.asarray(people.country, dtype=np.int64)
        self.p_rtw = np.asarray(people.right_to_work, dtype=np.int8)
        self.p_cross = np.asarray(people.cross_border, dtype=bool)
        self.p_wishes = np.asarray(people.contract_wishes, dtype=np.int64)
        self.p_links = _clean(((experience + desired) > 0).astype(np.float32).tocsr())
        # Experience credit per (person, linked occupation), computed once: every path looks it up.
        link_rows = np.repeat(np.arange(len(people)), np.diff(self.p_links.indptr))
        years, wished = self.years(link_rows, self.p_links.indices), self.desire(link_rows, self.p_links.indices) > 0
        credit = np.maximum(np.minimum(years / w.full_experience_years, 1), wished * w.desired_credit)
        self.credit = sp.csr_matrix((credit, self.p_links.indices, self.p_links.indptr), shape=self.p_links.shape)
        self._credit = _SparseLookup(self.credit)
        self.n_occ = self.p_links.shape[1]
        self._table = None
        self._people_by_feature: sp.csr_matrix | None = None
        if len(locations) <= self._MAX_LOCATIONS_FOR_TABLE:
            lat, lon = locations.lat, locations.lon
            self._table = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) * w.road_factor
        self._p_info = np.column_stack([self.p_country, self.p_cross, self.p_wishes, self.p_rtw, self.p_lang]) \
            .astype(np.int64).reshape(len(people), 3 + self.p_rtw.shape[1] + self.p_lang.shape[1])

    def _init_vacancies(self, vacancies: Vacancies) -> None:
        """Everything that depends on the vacancies (given the people's side and the skill weights)."""
        w = self.w
        self.v = vacancies
        m = len(vacancies)
        sw = self.skill_weight.astype(np.float64)
        ess = (vacancies.essential.tocsr() > 0).astype(np.float64)
        opt = (vacancies.optional.tocsr() > 0).astype(np.float64)
        opt = opt - opt.multiply(ess)  # a skill listed as both counts as essential
        self.essential = _clean(ess.multiply(sw[None, :]).tocsr())
        self.optional = _clean(opt.multiply(sw[None, :]).tocsr())
        self.listed = _clean(self.essential + self.optional)  # every skill the vacancy lists, by its weight
        # Skills related to one the vacancy lists without being listed (by weight): held by a person, they do
        # not count against the fit.
        listed = (self.listed > 0).astype(np.float64)
        reach = ((listed @ self.related) > 0).astype(np.float64)
        self.near = _clean((reach - listed.multiply(reach)).multiply(sw[None, :]).tocsr())
        self.ess_total = np.asarray(self.essential.sum(axis=1), dtype=np.float64).ravel()
        self.opt_total = np.asarray(self.optional.sum(axis=1), dtype=np.float64).ravel()
        if self._own_units * max(self.ess_total.max(initial=0), self.opt_total.max(initial=0)) > self._CREDIT_FIELD \
                or (self.ess_total + self.opt_total).max(initial=0) > self._WEIGHT_FIELD:
            raise ValueError("a vacancy lists more skills than the engine can weigh")
        self.v_lang = np.ascontiguousarray(vacancies.languages, dtype=np.int8)
        self.lang_required = (self.v_lang > 0).sum(axis=1).astype(np.float64)
        # Static per-vacancy terms, contiguous.
        self.v_occ = np.asarray(vacancies.occupation, dtype=np.int64)
        self.v_training = np.asarray(vacancies.training, dtype=bool)
        self.v_has_ess = self.ess_total > 0
        self.v_has_opt = self.opt_total > 0
        self.v_any_skill = self.v_has_ess | self.v_has_opt
        # What _core reads per vacancy: the free credit of an empty skill list, the weight of one unit of
        # essential or optional credit, 1/√(weight of the skills it lists), and the largest gap shop-floor
        # training closes (-1 without training), in units of credit.
        self.v_const = w.fit * np.where(self.v_any_skill, 0.0, 1.0) \
            + w.essential * np.where(self.v_has_ess, 0.0, 1.0) \
            + w.optional * np.where(self.v_has_opt, 0.0, 1.0)
        units = float(self._own_units)
        self.v_ess_weight = w.essential / (units * np.maximum(self.ess_total, 1))
        self.v_opt_weight = w.optional / (units * np.maximum(self.opt_total, 1))
        self.v_inv_root = 1 / np.sqrt(np.maximum(self.ess_total + self.opt_total, 1))
        self.v_train_gap = np.where(self.v_training, w.trainable_max_missing_share * units * self.ess_total, -1.0)
        self._free_skills = w.essential * (~self.v_has_ess).any() + w.optional * (~self.v_has_opt).any() \
            + w.fit * (~self.v_any_skill).any()
        self.v_loc = np.asarray(vacancies.location, dtype=np.int64)
        self.patterns, _, self.v_pat = _unique_rows(self.v_lang.reshape(m, self.v_lang.shape[1]))
        self.codes, _, self.v_code = _unique_rows(np.column_stack([np.asarray(vacancies.country, dtype=np.int64),
                                                                   np.asarray(vacancies.contract, dtype=np.int64)]))
        self._code_country, self._code_contract = self.codes[:, 0].copy(), self.codes[:, 1].copy()
        self._pat_required = self.patterns[None, :, :] > 0
        self._pat_count = self._pat_required.sum(axis=2)
        # Inverted indexes: skill → vacancies (essential, optional, by weight), occupation → vacancies.
        self.ess_index = _clean(self.essential.T.tocsr())
        self.opt_index = _clean(self.optional.T.tocsr())
        self.occ_index = _clean(sp.csr_matrix((np.ones(m, dtype=np.float32), (self.v_occ, np.arange(m))),
                                              shape=(max(self.n_occ, int(self.v_occ.max(initial=-1)) + 1), m)))
        self._transposed = None
        # Vacancies that look alike to a person sharing no skill and no occupation with them score alike.
        key = np.column_stack([self.v_loc, self.v_pat, self.v_code, self.v_has_ess, self.v_has_opt]).astype(np.int64)
        _, self._group_rep, self._group_of = _unique_rows(key)
        self._group_order = np.argsort(self._group_of, kind="stable")
        self._group_size = np.bincount(self._group_of, minlength=len(self._group_rep))
        self._group_start = np.concatenate([[0], np.cumsum(self._group_size)])
        rep = self._group_rep
        self._g_loc = self.v_loc[rep] if self._table is not None else rep
        self._g_pat, self._g_code = self.v_pat[rep], self.v_code[rep]
        # The skill and experience terms of a pair sharing nothing, exactly as _core adds them up.
        self._g_const = self.v_const[rep]
        # What an explanation reads, one row per vacancy (a single gather).
        e_ptr, o_ptr = self.essential.indptr, self.optional.indptr
        self._v_info = np.column_stack([
            self.v_loc if self._table is not None else np.arange(m), self.v_pat,
            np.asarray(vacancies.country, dtype=np.int64), np.asarray(vacancies.contract, dtype=np.int64),
            self.v_occ, self.v_training, e_ptr[:-1], e_ptr[1:], o_ptr[:-1], o_ptr[1:], self.v_lang,
        ]).astype(np.int64).reshape(m, 10 + self.v_lang.shape[1])

    # ----------------------------------------------------------------------------------- scoring

    def _tables(self, rows: np.ndarray) -> _Tables:
        """Return the look-up tables of people `rows` (one row each)."""
        w, rows = self.w, np.asarray(rows, dtype=np.int64)
        radius = self.radius[rows][:, None]
        if self._table is not None:
            km = self._table[self.p_loc[rows]]
        else:  # too many places for a table: one column per vacancy
            lat, lon = self.loc.lat, self.loc.lon
            pl = self.p_loc[rows][:, None]
            km = haversine_km(lat[pl], lon[pl], lat[self.v_loc][None, :], lon[self.v_loc][None, :]) * w.road_factor
        dist = np.where(km <= radius, 1 - w.inside_radius_slope * km / radius,
                        (1 - w.inside_radius_slope) * np.exp(-(km - radius) / w.beyond_radius_decay_km))
        # Languages: person × requirement pattern × language column, summed over the columns.
        gap = np.maximum(self.patterns[None, :, :] - self.p_lang[rows][:, None, :], 0)
        lang = np.where(self._pat_required, np.maximum(1 - w.language_step * gap, 0), 0).sum(axis=2)
        lang = np.where(self._pat_count > 0, lang / np.maximum(self._pat_count, 1), 1)
        rtw = self.p_rtw[rows][:, self._code_country]
        wishes = self.p_wishes[rows][:, None]
        wished = (wishes == 0) | ((wishes >> self._code_contract) & 1).astype(bool)
        factor = np.where(rtw == NEEDS_PERMIT, w.needs_permit_factor, 1.0) \
            * np.where(wished, 1.0, w.contract_mismatch_factor)
        across = self.p_country[rows][:, None] != self._code_country
        never = (rtw == MAY_NOT_WORK) | (across & ~self.p_cross[rows][:, None])
        factor[never] = -1.0
        return _Tables(dist, km, lang, factor)

    def _static(self, t: _Tables, r: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (language and distance terms, right-to-work × contract factor) of pairs (local row r, v)."""
        w = self.w
        loc = self.v_loc[v] if self._table is not None else v
        if len(t.dist) == 1:  # one person
            return w.language * t.lang[0][self.v_pat[v]] + w.distance * t.dist[0][loc], t.factor[0][self.v_code[v]]
        static = w.language * t.lang.ravel()[r * t.n_pat + self.v_pat[v]] \
            + w.distance * t.dist.ravel()[r * t.n_loc + loc]
        return static, t.factor.ravel()[r * t.n_code + self.v_code[v]]

    def _core(self, static: np.ndarray, factor: np.ndarray, p: np.ndarray, v: np.ndarray, ess: np.ndarray,
              opt: np.ndarray, exact: np.ndarray, near: np.ndarray, exp_part: np.ndarray) -> np.ndarray:
        """Return the score of each pair; every path (one person, one vacancy, batch) computes it here.

        `ess`, `opt`: essential and optional skill credit in units (CREDIT_UNITS × weight per skill held, the
        related credit's share of it per related skill); `exact`: the weight of the skills both list; `near`:
        the weight of the person's skills that are not listed but related to one listed.
        """
        w = self.w
        missing = self._own_units * self.ess_total[v] - ess
        credit = np.where((missing > 0) & (missing <= self.v_train_gap[v]), w.training_credit * missing, 0.0)
        fit = exact * self.v_inv_root[v] / np.sqrt(np.maximum(self.p_total[p] - near, 1))
        total = self.v_const[v] + (ess + credit) * self.v_ess_weight[v] + opt * self.v_opt_weight[v] \
            + w.experience * exp_part + w.fit * fit + static
        score = total * (factor / w.total)
        np.clip(score, 0, 1, out=score)
        # Rounded so that equal scores computed along different paths tie exactly.
        np.round(score, 6, out=score)
        score[factor < 0] = _EXCLUDED
        return score

    def _experience(self, p: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (experience part, years, desired) of pairs (p, v)."""
        occupation = self.v_occ[v]
        years = self.years(p, occupation)
        desired = self.desire(p, occupation) > 0
        known = occupation < self.n_occ
        return np.where(known, self._credit(p, np.minimum(occupation, self.n_occ - 1)), 0.0), years, desired

    def _linked_experience(self, rows: np.ndarray, local: np.ndarray, v: np.ndarray,
                           linked: np.ndarray) -> np.ndarray:
        """Return the experience part of pairs (rows[local], v); only pairs flagged `linked` have any."""
        exp = np.zeros(len(v))
        at = np.flatnonzero(linked)
        if len(at):
            # The block's own (person, occupation) credits: a small sorted table.
            spans = _spans(self.credit.indptr, rows)
            lengths = self.credit.indptr[rows + 1] - self.credit.indptr[rows]
            keys = np.repeat(np.arange(len(rows), dtype=np.int64), lengths) * self.n_occ + self.credit.indices[spans]
            wanted = local[at] * self.n_occ + self.v_occ[v[at]]
            where = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
            exp[at] = np.where(keys[where] == wanted, self.credit.data[spans][where], 0.0)
        return exp

    def _pair_scores(self, p: np.ndarray, v: np.ndarray, overlaps: Overlaps,
                     tables: tuple[np.ndarray, _Tables] | None = None) -> np.ndarray:
        """Return the score of each pair (p[i], v[i]) given its skill overlaps (essential credit, optional credit,
        exact and near weights); _EXCLUDED if never proposed.

        `tables`: (the people of `p`, sorted, their tables) when the caller has them already.
        """
        p, v = np.asarray(p, dtype=np.int64), np.asarray(v, dtype=np.int64)
        if tables is None:
            people, r = np.unique(p, return_inverse=True)
            t = self._tables(people)
        else:
            people, t = tables
            r = np.searchsorted(people, p)
        static, factor = self._static(t, r.ravel(), v)
        exp_part = self._experience(p, v)[0]
        return self._core(static, factor, p, v, *overlaps, exp_part)

    # ---------------------------------------------------------------------------------- rankings

    def scores_for_person(self, row: int) -> np.ndarray:
        """Return the score of every vacancy for person `row` (_EXCLUDED where never proposed); no shortcut."""
        credit, own = self.p_credit[row].toarray().ravel(), self.p_skills[row].toarray().ravel().astype(np.float64)
        overlaps: Overlaps = (self.essential @ credit, self.optional @ credit, self.listed @ own, self.near @ own)
        v = np.arange(len(self.v))
        r = np.zeros(len(v), dtype=np.int64)
        static, factor = self._static(self._tables(np.array([row])), r, v)
        exp_part = self._experience(np.full(len(v), row), v)[0]
        return self._core(static, factor, np.full(len(v), row), v, *overlaps, exp_part)

    def scores_for_vacancy(self, row: int, people: np.ndarray | None = None) -> np.ndarray:
        """Return the score of every person (or of the rows `people`, in their order) for vacancy `row`
        (_EXCLUDED where never proposed)."""
        w = self.w
        p = np.arange(len(self.p)) if people is None else np.asarray(people, dtype=np.int64)
        overlaps = self._vacancy_overlaps(row, p, people is None)
        v = np.full(len(p), row)
        if self._table is not None:
            km = self._table[self.p_loc[p], self.v_loc[row]]
        else:
            lat, lon = self.loc.lat, self.loc.lon
            km = haversine_km(lat[self.p_loc[p]], lon[self.p_loc[p]], lat[self.v_loc[row]], lon[self.v_loc[row]]) \
                * w.road_factor
        radius = self.radius[p]
        dist = np.where(km <= radius, 1 - w.inside_radius_slope * km / radius,
                        (1 - w.inside_radius_slope) * np.exp(-(km - radius) / w.beyond_radius_decay_km))
        # The language and factor terms, computed per person with the same arithmetic as _tables.
        t = self._tables_for_vacancy(row, p)
        static = w.language * t[0] + w.distance * dist
        exp_part = self._experience(p, v)[0]
        return self._core(static, t[1], p, v, *overlaps, exp_part)

    def _vacancy_overlaps(self, row: int, p: np.ndarray, everyone: bool = False) -> Overlaps:
        """Return (essential credit, optional credit, exact and near weights) of the people `p` for vacancy `row`."""
        credit = self.p_credit if everyone else self.p_credit[p]
        own = self.p_skills if everyone else self.p_skills[p]
        own = own.astype(np.float64)
        return (credit @ self.essential[row].toarray().ravel(), credit @ self.optional[row].toarray().ravel(),
                own @ self.listed[row].toarray().ravel(), own @ self.near[row].toarray().ravel())

    def _tables_for_vacancy(self, row: int, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (language part, factor) of the rows `people` for vacancy `row`, in blocks to bound memory."""
        lang, factor = np.empty(len(people)), np.empty(len(people))
        pat, code = self.v_pat[row], self.v_code[row]
        for start in range(0, len(people), 8192):  # blocks of people, not pairs
            at = slice(start, min(start + 8192, len(people)))
            lang[at], factor[at] = self._tables_lang_factor(people[at], pat, code)
        return lang, factor

    def _tables_lang_factor(self, rows, pat, code):
        w = self.w
        required = self.patterns[pat]
        lang_sum = np.zeros(len(rows))
        for column in range(self.patterns.shape[1]):
            gap = np.maximum(required[column] - self.p_lang[rows, column].astype(np.int64), 0).astype(np.float64)
            lang_sum += np.where(required[column] > 0, np.maximum(1 - w.language_step * gap, 0), 0)
        n_required = int((required > 0).sum())
        lang = lang_sum / n_required if n_required > 0 else np.ones(len(rows))
        country, contract = self.codes[code]
        rtw = self.p_rtw[rows, country]
        wishes = self.p_wishes[rows]
        wished = (wishes == 0) | ((wishes >> contract) & 1).astype(bool)
        factor = np.where(rtw == NEEDS_PERMIT, w.needs_permit_factor, 1.0) \
            * np.where(wished, 1.0, w.contract_mismatch_factor)
        never = (rtw == MAY_NOT_WORK) | ((self.p_country[rows] != country) & ~self.p_cross[rows])
        return lang, np.where(never, -1.0, factor)

    @staticmethod
    def _top(scores: np.ndarray, limit: int) -> np.ndarray:
        """Return the indices of the `limit` best positive scores, best first (ties: lower index first)."""
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > limit:
            values = scores[candidates]
            threshold = -np.partition(-values, limit - 1)[limit - 1]
            candidates = candidates[values >= threshold]  # ties at the threshold are kept, then cut below
        order = np.lexsort((candidates, -scores[candidates]))
        return candidates[order][:limit]

    def rank_vacancies(self, row: int, limit: int = 20) -> list[Match]:
        """Return the best vacancies for person `row`, best first, each explained.

        Scores the vacancies sharing a skill or an occupation with the person (found through the inverted
        indexes), and the vacancies sharing nothing only when fewer than `limit` of those beat what such
        a vacancy could reach (exact either way).
        """
        if limit <= 0:
            return []
        rows = np.array([row], dtype=np.int64)
        v, packed = self._candidates_one(row)
        local = np.zeros(len(v), dtype=np.int64)
        t = self._tables(rows)
        top, scores = self._rank_block(rows, local, v, packed, limit, t)
        keep = top[0] >= 0
        return self._explain(np.full(int(keep.sum()), row), top[0][keep], scores[0][keep], (rows, t))

    def rank_people(self, row: int, limit: int = 20, among: np.ndarray | None = None) -> list[Match]:
        """Return the best people for vacancy `row` (of the rows `among`, when given), best first, explained.

        Scores the people sharing a skill (or a related one) or the occupation with the vacancy, found through
        the people's inverted index; everyone else of `among` only when fewer than `limit` of those beat what
        someone sharing nothing could reach (exact either way).
        """
        if limit <= 0:
            return []
        among = None if among is None else np.unique(np.asarray(among, dtype=np.int64))
        candidates = self._people_sharing(row)
        if among is not None:
            at = np.minimum(np.searchsorted(among, candidates), max(len(among) - 1, 0))
            candidates = candidates[(among[at] == candidates)] if len(among) else candidates[:0]
        scores = np.full(len(self.p), _EXCLUDED)
        scores[candidates] = self.scores_for_vacancy(row, candidates)
        best = self._top(scores, limit)
        w = self.w
        bound = (self.v_const[row] + w.language + w.distance) / w.total  # sharing nothing: no skill, no experience
        if len(best) < limit or scores[best[-1]] <= bound + 1e-6:  # someone sharing nothing might place: all
            pool = np.arange(len(self.p)) if among is None else among
            scores[pool] = self.scores_for_vacancy(row, pool if among is not None else None)
            best = self._top(scores, limit)
        return self._explain(best, np.full(len(best), row), scores[best])

    def _people_sharing(self, row: int) -> np.ndarray:
        """Return the people (rows, ascending) holding one of vacancy `row`'s skills, a skill related to one of
        them, or a past or wished link to its occupation."""
        index = self._people_index()
        n_skills = self.p_skills.shape[1]
        listed = self._row_set(self.listed, row)
        features = np.concatenate([listed, listed + n_skills,
                                   [2 * n_skills + self.v_occ[row]] if self.v_occ[row] < self.n_occ else []])
        return np.unique(index.indices[_spans(index.indptr, features.astype(np.int64))]).astype(np.int64)

    def _people_index(self) -> sp.csr_matrix:
        """Return (2S + O) × n: the people holding each feature (own skill, related-only skill, linked
        occupation), the inverted index of the vacancy → people direction (built once)."""
        if self._people_by_feature is None:
            features = sp.hstack([self.p_skills, self.p_related, self.p_links], format="csr")
            self._people_by_feature = _clean((features > 0).astype(np.int8).T.tocsr())
        return self._people_by_feature

    def shortfalls(self, row: int, people: np.ndarray) -> dict[str, int]:
        """Count, among the rows `people`, who falls short of vacancy `row` on each requirement (a person may
        fall short on several): the "why nobody fits" summary."""
        p = np.unique(np.asarray(people, dtype=np.int64))
        country = int(self.codes[self.v_code[row]][0])
        required = self.v_lang[row]
        if self._table is not None:
            km = self._table[self.p_loc[p], self.v_loc[row]]
        else:
            lat, lon = self.loc.lat, self.loc.lon
            km = haversine_km(lat[self.p_loc[p]], lon[self.p_loc[p]], lat[self.v_loc[row]],
                              lon[self.v_loc[row]]) * self.w.road_factor
        ess_credit = self.p_credit[p] @ self.essential[row].toarray().ravel()
        return {
            "people": len(p),
            "may_not_work": int((self.p_rtw[p, country] == MAY_NOT_WORK).sum()),
            "needs_permit": int((self.p_rtw[p, country] == NEEDS_PERMIT).sum()),
            "other_country": int(((self.p_country[p] != country) & ~self.p_cross[p]).sum()),
            "language": int(((self.p_lang[p] < required[None, :]) & (required[None, :] > 0)).any(axis=1).sum()),
            "distance": int((km > self.radius[p]).sum()),
            "skills": int((ess_credit < 0.5 * self._own_units * self.ess_total[row]).sum())
            if self.ess_total[row] else 0,
        }

    def score_pair(self, person_row: int, vacancy_row: int) -> Match:
        """Return one pair's score (0 where never proposed) and its explanation."""
        return self._explain(np.array([person_row]), np.array([vacancy_row]), None)[0]

    # ------------------------------------------------------------------------------ explanations

    def _row_set(self, matrix: sp.csr_matrix, row: int) -> np.ndarray:
        return matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]]

    def _explain(self, p: np.ndarray, v: np.ndarray, scores: np.ndarray | None,
                 tables: tuple[np.ndarray, _Tables] | None = None) -> list[Match]:
        """Return a Match with its Explanation for each pair (p[i], v[i]): the few returned pairs only.

        The look-ups are vectorised over the pairs (one gather per side); the parts of each score are then
        spelt out per pair (the same formulas as `_core`, in Python floats, which are IEEE doubles).
        """
        if not len(p):
            return []
        w = self.w
        p, v = np.asarray(p, dtype=np.int64), np.asarray(v, dtype=np.int64)
        people, t = tables if tables is not None else (np.unique(p), None)
        t = t if t is not None else self._tables(people)
        r = np.searchsorted(people, p) if len(people) > 1 else np.zeros(len(p), dtype=np.int64)
        info = self._v_info[v]
        loc = info[:, 0]
        lang, dist, km = t.lang[r, info[:, 1]].tolist(), t.dist[r, loc].tolist(), t.km[r, loc].tolist()
        v_rows, p_rows = info.tolist(), self._p_info[p].tolist()
        radius, radius_km = self.radius[p].tolist(), self.p.radius_km[p].astype(np.float64).tolist()
        p_ids, v_ids = self.p.ids[p].tolist(), self.v.ids[v].tolist()
        n_lang, n_countries = self.v_lang.shape[1], self.p_rtw.shape[1]
        # Experience: each person's few occupations as dictionaries.
        matrices = (self.years.matrix, self.desire.matrix, self.credit)
        found = {pr: [dict(zip(m.indices[m.indptr[pr]:m.indptr[pr + 1]].tolist(),
                               m.data[m.indptr[pr]:m.indptr[pr + 1]].tolist(), strict=True)) for m in matrices]
                 for pr in set(p.tolist())}
        mine_of = {pr: set(self._row_set(self.p_skills, pr).tolist()) for pr in found}
        near_of = {pr: set(self._row_set(self.p_related, pr).tolist()) for pr in found}
        e_ind, o_ind = self.essential.indices, self.optional.indices
        weight = self.skill_weight
        if scores is None:
            scores = np.maximum(self._pair_scores(p, v, self._overlaps(p, v)), 0)
        score_list = np.asarray(scores, dtype=np.float64).tolist()
        units, rel_units = float(self._own_units), float(self._related_units)
        v_root, p_total = self.v_inv_root[v].tolist(), self.p_total[p].tolist()
        related = self.related
        matches = []
        for i, (pr, vi, pi) in enumerate(zip(p.tolist(), v_rows, p_rows, strict=True)):
            _, _, country, contract, occupation, training, e_lo, e_hi, o_lo, o_hi = vi[:10]
            p_country, _, wishes = pi[:3]
            rtw = pi[3 + country] if country < n_countries else MAY_NOT_WORK
            p_lang = pi[3 + n_countries:]
            mine, close = mine_of[pr], near_of[pr]
            ess, opt = e_ind[e_lo:e_hi].tolist(), o_ind[o_lo:o_hi].tolist()
            e_met, o_met = [s for s in ess if s in mine], [s for s in opt if s in mine]
            e_rel, o_rel = [s for s in ess if s in close], [s for s in opt if s in close]
            sw = {s: int(weight[s]) for s in ess + opt}
            # The same sums as the packed product, in the same units.
            ess_total, opt_total = float(sum(sw[s] for s in ess)), float(sum(sw[s] for s in opt))
            ess_credit = float(sum(units * sw[s] for s in e_met) + sum(rel_units * sw[s] for s in e_rel))
            opt_credit = float(sum(units * sw[s] for s in o_met) + sum(rel_units * sw[s] for s in o_rel))
            exact = float(sum(sw[s] for s in e_met + o_met))
            listed = set(ess) | set(opt)
            near_me = [r for r in mine if r not in listed and
                       not listed.isdisjoint(related.indices[related.indptr[r]:related.indptr[r + 1]].tolist())]
            near = float(sum(int(weight[r]) for r in near_me))
            missing = units * ess_total - ess_credit
            trainable = bool(training) and missing > 0 and missing <= w.trainable_max_missing_share * units * ess_total
            ess_part = (ess_credit + (w.training_credit * missing if trainable else 0.0)) / (units * ess_total) \
                if ess else 1.0
            opt_part = opt_credit / (units * opt_total) if opt else 1.0
            fit = exact * v_root[i] / math.sqrt(max(p_total[i] - near, 1.0)) if ess or opt else 1.0
            years, desired, credit = (d.get(occupation, 0.0) for d in found[pr])
            gaps = tuple((c, vi[10 + c], p_lang[c]) for c in range(n_lang) if vi[10 + c] > p_lang[c])
            parts = (ess_part, opt_part, lang[i], dist[i], float(credit), fit)
            explanation = Explanation(
                essential_met=tuple(e_met), essential_missing=tuple(s for s in ess if s not in mine and s not in close),
                trainable=trainable, optional_met=tuple(o_met),
                optional_missing=tuple(s for s in opt if s not in mine and s not in close), language_gaps=gaps,
                distance_km=round(km[i], 1), radius_km=radius_km[i], within_radius=km[i] <= radius[i],
                right_to_work=RIGHT_TO_WORK[rtw], cross_border=p_country != country,
                experience_years=float(years), desired_occupation=desired > 0,
                contract_wished=wishes == 0 or bool((wishes >> contract) & 1),
                parts={name: round(x, 3) for name, x in zip(_PART_NAMES, parts, strict=True)},
                essential_related=self._related_pairs(e_rel, mine), optional_related=self._related_pairs(o_rel, mine),
                skill_weights=sw,
            )
            matches.append(Match(person=p_ids[i], vacancy=v_ids[i], score=round(score_list[i], 4),
                                 explanation=explanation))
        return matches

    def _related_pairs(self, wanted: list[int], mine: set[int]) -> tuple[tuple[int, int], ...]:
        """Return (skill asked, a skill of the person's related to it) for each of `wanted`."""
        return tuple((s, min(r for r in self._row_set(self.related, s).tolist() if r in mine)) for s in wanted)

    def _overlaps(self, p: np.ndarray, v: np.ndarray) -> Overlaps:
        """Return (essential credit, optional credit, exact weight, near weight) of each pair (p[i], v[i])."""
        credit, own = self.p_credit[p], self.p_skills[p].astype(np.float64)

        def summed(a, b):
            return np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()

        return (summed(credit, self.essential[v]), summed(credit, self.optional[v]), summed(own, self.listed[v]),
                summed(own, self.near[v]))

    # ------------------------------------------------------------------------------ candidates

    def _candidates_one(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (vacancies sharing a skill or an occupation with person `row`, packed overlap counts)."""
        operator = self._overlap_operator()
        n_skills = self.p_skills.shape[1]
        features = np.concatenate([self._row_set(self.p_skills, row), self._row_set(self.p_related, row) + n_skills,
                                   self._row_set(self.p_links, row) + 2 * n_skills])
        at = _spans(operator.indptr, features)
        hits = operator.indices[at]
        order = np.argsort(hits, kind="stable")  # a few thousand hits: sort them rather than scan every vacancy
        hits = hits[order]
        first = np.empty(len(hits), dtype=bool)
        first[:1] = True
        np.not_equal(hits[1:], hits[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        if not len(starts):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return hits[starts].astype(np.int64), np.add.reduceat(operator.data[at][order].astype(np.int64), starts)

    def _overlap_operator(self) -> sp.csr_matrix:
        """Return (2S + O) × m: one product of a person's features (own skills, related-only skills, linked
        occupations; 1 each) with it packs their essential and optional credit, exact weight and occupation hit."""
        if self._transposed is None:
            own_u, rel_u = np.int64(self._own_units), np.int64(self._related_units)
            ess = self.ess_index.astype(np.int64)
            opt = self.opt_index.astype(np.int64)
            near = _clean(self.near.T.tocsr()).astype(np.int64)
            own = ess * (own_u << self._ESS_SHIFT) + opt * own_u + (ess + opt) * (np.int64(1) << self._EXACT_SHIFT) \
                + near * (np.int64(1) << self._NEAR_SHIFT)
            related = ess * (rel_u << self._ESS_SHIFT) + opt * rel_u
            occ = self.occ_index.astype(np.int64) * (np.int64(1) << self._OCC_SHIFT)
            n_skills, n_links = self.p_skills.shape[1], self.p_links.shape[1]
            occ = occ[:n_links] if occ.shape[0] >= n_links else \
                sp.vstack([occ, sp.csr_matrix((n_links - occ.shape[0], len(self.v)), dtype=np.int64)])
            self._transposed = _clean(sp.vstack([own[:n_skills], related[:n_skills], occ]).tocsr())
        return self._transposed

    def _features(self, rows: np.ndarray) -> sp.csr_matrix:
        """Return the feature rows (own skills | related-only skills | linked occupations) of people `rows`."""
        return sp.hstack([self.p_skills[rows], self.p_related[rows], self.p_links[rows]], format="csr") \
            .astype(np.int64)

    def _candidates_block(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (local row, vacancy, packed overlaps) of every candidate pair of people `rows`, sorted by row
        (one sparse product)."""
        packed = (self._features(rows) @ self._overlap_operator()).tocsr()
        local = np.repeat(np.arange(len(rows)), np.diff(packed.indptr))
        return local, packed.indices.astype(np.int64), packed.data.astype(np.int64)

    # ---------------------------------------------------------------------------------- ranking core

    def _rank_block(self, rows: np.ndarray, local: np.ndarray, v: np.ndarray, packed: np.ndarray,
                    limit: int, t: _Tables | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (vacancy rows, scores), each (len(rows), limit), best first, -1 / 0 where fewer.

        `local`, `v`, `packed`: the candidate pairs (local row, vacancy, packed overlap counts), in any order.
        """
        k = len(rows)
        t = t if t is not None else self._tables(rows)
        c, f = self._CREDIT_FIELD, self._WEIGHT_FIELD
        ess = ((packed >> self._ESS_SHIFT) & c).astype(np.float64)
        opt = (packed & c).astype(np.float64)
        exact = ((packed >> self._EXACT_SHIFT) & f).astype(np.float64)
        near = ((packed >> self._NEAR_SHIFT) & f).astype(np.float64)
        exp_part = self._linked_experience(rows, local, v, (packed >> self._OCC_SHIFT) > 0)
        static, factor = self._static(t, local, v)
        scores = self._core(static, factor, rows[local], v, ess, opt, exact, near, exp_part)
        top_idx, top_score = self._top_rows(k, local, v, scores, limit)
        # Where fewer than `limit` candidates beat what a vacancy sharing nothing could reach, add the
        # best of those (all rows at once, by groups of look-alike vacancies).
        unsure = np.flatnonzero(top_score[:, limit - 1] <= self._non_candidate_bound(t) + 1e-6)
        if len(unsure):
            u_local, u_v, u_score = self._best_non_candidates(rows, t, unsure, local, v, limit)
            have = top_idx[unsure] >= 0
            r_have = np.repeat(unsure, have.sum(axis=1))
            m_local = np.concatenate([r_have, unsure[u_local]])
            m_v = np.concatenate([top_idx[unsure][have], u_v])
            m_score = np.concatenate([top_score[unsure][have], u_score])
            sub_idx, sub_score = self._top_rows(k, m_local, m_v, m_score, limit)
            top_idx[unsure], top_score[unsure] = sub_idx[unsure], sub_score[unsure]
        return top_idx, top_score

    def _top_rows(self, k: int, local: np.ndarray, v: np.ndarray, scores: np.ndarray,
                  limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the `limit` best positive scores of each of `k` rows (ties: lower vacancy first)."""
        top_idx = np.full((k, limit), -1, dtype=np.int64)
        top_score = np.zeros((k, limit), dtype=np.float64)
        if k == 1:  # one person: a partition of their scores
            best = np.flatnonzero(scores > 0)
            if len(best) > limit:
                threshold = -np.partition(-scores[best], limit - 1)[limit - 1]
                best = best[scores[best] >= threshold]  # ties at the threshold are kept, then cut below
            best = best[np.lexsort((v[best], -scores[best]))[:limit]]
            top_idx[0, :len(best)], top_score[0, :len(best)] = v[best], scores[best]
            return top_idx, top_score
        positive = scores > 0
        local, v, scores = local[positive], v[positive], scores[positive]
        if len(scores) > k * limit:  # cut each row to the bins holding its best `limit` scores
            bins = np.minimum((scores * self._BINS).astype(np.int64), self._BINS - 1)
            counts = np.bincount(local * self._BINS + bins, minlength=k * self._BINS).reshape(k, self._BINS)
            at_least = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
            cut = np.maximum((at_least >= limit).sum(axis=1) - 1, 0)
            keep = bins >= cut[local]
            local, v, scores = local[keep], v[keep], scores[keep]
        order = np.lexsort((v, -scores, local))
        local, v, scores = local[order], v[order], scores[order]
        starts = np.searchsorted(local, np.arange(k))
        rank = np.arange(len(local)) - starts[local]
        keep = rank < limit
        top_idx[local[keep], rank[keep]] = v[keep]
        top_score[local[keep], rank[keep]] = scores[keep]
        return top_idx, top_score

    def _non_candidate_bound(self, t: _Tables) -> np.ndarray:
        """Return, per row of `t`, an upper bound of the score of a vacancy sharing nothing with the person."""
        w = self.w
        best = w.language * t.lang.max(axis=1, initial=0) + w.distance * t.dist.max(axis=1, initial=0)
        return (best + self._free_skills) * np.clip(t.factor.max(axis=1, initial=0), 0, 1) / w.total

    def _best_non_candidates(self, rows: np.ndarray, t: _Tables, unsure: np.ndarray, local: np.ndarray,
                             v: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (index into `unsure`, vacancy, score) holding, for each person of `unsure`, at least their
        `limit` best vacancies among those sharing nothing with them (ties at the last score included)."""
        n_groups = len(self._group_rep)
        u = len(unsure)
        if not n_groups:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        g_score = self._group_scores(t, unsure)
        # Members of each group that are candidates of the person do not count.
        pos = np.searchsorted(unsure, local)
        is_u = (pos < u) & (unsure[np.minimum(pos, u - 1)] == local)
        cand_in_group = np.bincount(pos[is_u] * n_groups + self._group_of[v[is_u]],
                                    minlength=u * n_groups).reshape(u, n_groups)
        free = self._group_size[None, :] - cand_in_group
        # Groups best first; take groups until `limit` free members are in hand, ties at the last score too.
        # The best few groups of each row first (argpartition); rows they do not satisfy are sorted fully.
        cut = np.full(u, 1e-12)
        few = min(n_groups, 4 * limit)
        if few < n_groups:
            best = np.argpartition(-g_score, few - 1, axis=1)[:, :few]
        else:
            best = np.broadcast_to(np.arange(n_groups), (u, n_groups))
        done = self._group_cut(g_score, free, best, limit, cut, np.arange(u))
        if few < n_groups and not done.all():
            rest = np.flatnonzero(~done)
            self._group_cut(g_score[rest], free[rest], np.argsort(-g_score[rest], axis=1), limit, cut, rest)
        chosen = (g_score >= cut[:, None]) & (g_score > 0) & (free > 0)
        c_u, c_g = np.nonzero(chosen)
        sizes = self._group_size[c_g]
        member_u = np.repeat(c_u, sizes)
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        member_v = self._group_order[np.repeat(self._group_start[c_g], sizes) + offsets]
        member_score = np.repeat(g_score[c_u, c_g], sizes)
        # Drop members that are candidates.
        width = np.int64(len(self.v))
        cand_keys = np.sort(pos[is_u] * width + v[is_u])
        keys = member_u * width + member_v
        at = np.minimum(np.searchsorted(cand_keys, keys), max(len(cand_keys) - 1, 0))
        drop = (cand_keys[at] == keys) if len(cand_keys) else np.zeros(len(keys), dtype=bool)
        return member_u[~drop], member_v[~drop], member_score[~drop]

    def _group_scores(self, t: _Tables, at: np.ndarray) -> np.ndarray:
        """Return (len(at), groups): the score of each look-alike group for the rows `at` of `t`; the same
        arithmetic as `_core` for any member sharing no skill and no occupation with the person."""
        w = self.w
        static = w.language * t.lang[at][:, self._g_pat] + w.distance * t.dist[at][:, self._g_loc]
        factor = t.factor[at][:, self._g_code]
        score = (self._g_const + static) * (factor / w.total)
        np.clip(score, 0, 1, out=score)
        np.round(score, 6, out=score)
        score[factor < 0] = _EXCLUDED
        return score

    @staticmethod
    def _group_cut(g_score, free, best, limit, cut, out) -> np.ndarray:
        """Set cut[out] to the score of the group at which `limit` free members are reached when taking the
        groups `best` best first; return whether each row could be decided from `best` alone."""
        scores = np.take_along_axis(g_score, best, axis=1)
        order = np.argsort(-scores, axis=1, kind="stable")
        s_sorted = np.take_along_axis(scores, order, axis=1)
        f_sorted = np.take_along_axis(np.take_along_axis(free, best, axis=1), order, axis=1) * (s_sorted > 0)
        enough = np.cumsum(f_sorted, axis=1) >= limit
        reached = enough.any(axis=1)
        last = np.where(reached, enough.argmax(axis=1), s_sorted.shape[1] - 1)
        at_last = s_sorted[np.arange(len(s_sorted)), last]
        # Decided when `limit` is reached, or when even the worst group looked at scores nothing.
        done = reached | (at_last <= 0) if best.shape[1] < g_score.shape[1] else np.ones(len(best), dtype=bool)
        cut[out[done]] = np.maximum(at_last[done], 1e-12)
        return done

    # ------------------------------------------------------------------------------------- batch

    def rank_rows(self, rows: np.ndarray, limit: int = 20) -> tuple[np.ndarray, np.ndarray]:
        """Return (vacancy rows, scores), each (len(rows), limit), for a block of people: the unit of every
        batch (threads, forked processes, a Dask cluster), so that each gives the same result."""
        rows = np.asarray(rows, dtype=np.int64)
        self._overlap_operator()
        local, v, packed = self._candidates_block(rows)
        return self._rank_block(rows, local, v, packed, limit)

    def batch_top(self, limit: int = 20, chunk: int = 1024, workers: int = 1,
                  processes: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Return (vacancy rows, scores), each (n, limit), best first; -1 / 0 where fewer than `limit`.

        Exact: blocks of `chunk` people are multiplied with the vacancy skill matrix (sparse), only the
        pairs sharing a skill or an occupation are scored, and a person whose `limit`-th score does not
        beat what a non-sharing pair could reach gets the best non-sharing vacancies too (by groups).
        Blocks run in `workers` threads, or with `processes` in `workers` forked processes (POSIX only; for
        scripts and batch jobs, not inside a web server). On the shared 2-core machine neither beat one
        worker (the blocks are many short numpy calls), hence the default.
        """
        n = len(self.p)
        top_idx = np.full((n, max(limit, 0)), -1, dtype=np.int64)
        top_score = np.zeros((n, max(limit, 0)), dtype=np.float64)
        if limit <= 0 or n == 0:
            return top_idx, top_score
        self._overlap_operator()
        starts = range(0, n, chunk)

        def run(start: int) -> None:
            rows = np.arange(start, min(start + chunk, n))
            top_idx[rows], top_score[rows] = self.rank_rows(rows, limit)

        if workers > 1 and processes:
            global _FORKED
            _FORKED = (self, limit, chunk)
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    for start, idx, score in pool.imap_unordered(_forked_block, starts):
                        top_idx[start:start + len(idx)], top_score[start:start + len(idx)] = idx, score
            finally:
                _FORKED = None
        elif workers <= 1:
            for start in starts:
                run(start)
        else:
            with ThreadPoolExecutor(max_workers=workers) as threads:
                list(threads.map(run, starts))
        return top_idx, top_score


_FORKED: tuple | None = None  # (matcher, limit, chunk) shared with forked batch workers


def _forked_block(start: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Rank one block of people in a forked worker (the matcher is inherited, not pickled)."""
    assert _FORKED is not None, "set by Matcher.rank_all before the workers fork"
    matcher, limit, chunk = _FORKED
    return (start, *matcher.rank_rows(np.arange(start, min(start + chunk, len(matcher.p))), limit))


def _clean(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return `matrix` in canonical CSR form (sorted indices, no duplicates or explicit zeros)."""
    matrix = matrix.tocsr()
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


def _unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (distinct rows, index of each one's first occurrence, each row's distinct row) of a 2-D int array;
    empty arrays and zero columns allowed."""
    a = np.asarray(a, dtype=np.int64)
    m, k = a.shape
    if m == 0:
        return np.zeros((0, k), dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if k == 0:
        return np.zeros((1, 0), dtype=np.int64), np.zeros(1, dtype=np.int64), np.zeros(m, dtype=np.int64)
    rows, first, inverse = np.unique(a, axis=0, return_index=True, return_inverse=True)
    return rows, first.astype(np.int64), inverse.ravel().astype(np.int64)


def _spans(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Return the positions of the entries of CSR rows `rows` (given its indptr), row after row."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)


def cefr_rank(level: str | None) -> int:
    """Return the rank of a CEFR level ('' and unknown → 0)."""
    return CEFR_RANK.get(level or "", 0)

