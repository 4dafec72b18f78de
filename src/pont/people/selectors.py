"""Every read of personal data in the people app. Each takes the acting user and applies its scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Count, DateField, Exists, Field, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pont.audit.services import audit, audit_listed
from pont.core import access
from pont.core.models import Organisation, Region
from pont.core.roles import Role
from pont.people import duplicates, right_to_work
from pont.people.choices import Cefr, LegalStatusKind
from pont.people.models import Consent, Correction, LegalStatus, Person, PersonFile, PersonLanguage

# Roles that read people's names and files in the employment track (care roles come with the care issue).
FILE_ROLES = (Role.ADVISER,)


def _file_org_ids(user) -> list[int]:
    return access.organisation_ids(user, *FILE_ROLES)


def persons_visible_to(user) -> QuerySet[Person]:
    """Return the people with an open file in one of the user's organisations (none for other roles)."""
    org_ids = _file_org_ids(user)
    if not org_ids:
        return Person.objects.none()
    open_file = PersonFile.objects.filter(person_id=OuterRef("pk"), organisation_id__in=org_ids,
                                          closed_at__isnull=True)
    return Person.objects.filter(Exists(open_file))


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    region: str = ""          # NUTS code
    status: str = ""          # LegalStatusKind
    language: str = ""        # ISO 639-3
    age_band: str = ""        # "18-25", …


def age_band_bounds(band: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """Return (earliest, latest) date of birth for an age band "min-max", or None if malformed."""
    try:
        low, high = (int(part) for part in band.split("-"))
    except ValueError:
        return None
    latest = right_to_work.add_months(today, -12 * low)
    earliest = right_to_work.add_months(today, -12 * (high + 1)) + dt.timedelta(days=1)
    return earliest, latest


def _filtered(qs: QuerySet[Person], filters: PersonFilters) -> QuerySet[Person]:
    if filters.q:
        term = duplicates.normalise(filters.q)
        # References are kept upper-case (Person.save): an equality on the unique index, not an iexact scan.
        qs = qs.filter(Q(search_name__contains=term) | Q(reference=filters.q.strip().upper()))
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    if filters.status:
        qs = qs.filter(current_status=filters.status)
    if filters.language:
        # An IN over the (code-indexed) languages beats a correlated EXISTS per person at 100,000 people.
        qs = qs.filter(pk__in=PersonLanguage.objects.filter(code=filters.language).values("person_id"))
    if filters.age_band:
        bounds = age_band_bounds(filters.age_band, timezone.localdate())
        if bounds:
            qs = qs.filter(date_of_birth__range=bounds)
    return qs


def person_list(*, user, filters: PersonFilters) -> QuerySet[Person]:
    """Return the user's people matching `filters`, with what a list row shows (one query; count apart)."""
    qs = _filtered(persons_visible_to(user), filters).select_related("region", "municipality")
    return qs.order_by("family_name", "given_name", "id")


def person_count(*, user, filters: PersonFilters) -> int:
    """Return how many people `person_list` holds (one query).

    The page itself walks the name index and tests each person's files (EXISTS) until it has a page; a
    count would test everyone, so it starts from the organisation's open files instead: an index-only
    scan without filters, an IN with them (bench/people_list.py at 100,000 people).
    """
    org_ids = _file_org_ids(user)
    if not org_ids:
        return 0
    open_files = PersonFile.objects.filter(organisation_id__in=org_ids, closed_at__isnull=True)
    if filters == PersonFilters():
        return open_files.values("person_id").distinct().count()
    return _filtered(Person.objects.filter(pk__in=open_files.values("person_id")), filters).count()


def person_get(*, user, pk: int) -> Person:
    """Return one person in the user's scope with everything their page shows; 404 otherwise.

    For acting on the person (the write that follows is audited): not audited as a read. A page or an
    answer that shows the person's data calls `person_view` instead.
    """
    try:
        return (
            persons_visible_to(user)
            .select_related("region", "municipality", "created_by")
            .prefetch_related(
                Prefetch("languages", queryset=PersonLanguage.objects.order_by("code")),
                Prefetch("legal_statuses", queryset=LegalStatus.objects.select_related("recorded_by")),
                Prefetch("consents", queryset=Consent.objects.select_related("recorded_by", "withdrawn_by")),
                Prefetch("files", queryset=PersonFile.objects.select_related("organisation")),
            )
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def person_view(*, user, pk: int) -> Person:
    """Return `person_get`'s person and audit the read as `person.viewed`."""
    person = person_get(user=user, pk=pk)
    audit(actor=user, verb="person.viewed", obj=person, person=person,
          organisation=access.acting_organisation(user, role=FILE_ROLES, person=person))
    return person


@dataclass
class PersonPage:
    """One page of the person list, found by its neighbours (keyset) rather than by counting rows past: the
    last page costs what the first does. The cursors are person ids, so no name ever sits in an address."""

    object_list: list[Person]
    count: int
    has_previous: bool
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_before(self) -> int | None:
        return self.object_list[0].pk if self.has_previous and self.object_list else None

    @property
    def next_after(self) -> int | None:
        return self.object_list[-1].pk if self.has_next and self.object_list else None


LIST_ORDER = ("family_name", "given_name", "id")  # the person_list_order index


def _beyond(pivot: tuple, *, forward: bool) -> Q:
    """People after (or before) `pivot` in the list's order; the leading bound lets the index start there."""
    family, given, pk = pivot
    gt, ge = ("gt", "gte") if forward else ("lt", "lte")
    return Q(**{f"family_name__{ge}": family}) & (
        Q(**{f"family_name__{gt}": family}) | Q(family_name=family, **{f"given_name__{gt}": given})
        | Q(family_name=family, given_name=given, **{f"id__{gt}": pk}))


def person_page(*, user, filters: PersonFilters, per_page: int, after: int | None = None,
                before: int | None = None, last: bool = False) -> PersonPage:
    """Return a page of the user's people matching `filters`: the first, the one after person `after`, the one
    before person `before`, or the last; with the fast count, once. Audits the page."""
    people = person_list(user=user, filters=filters)
    pivot_id = after or before
    pivot = persons_visible_to(user).filter(pk=pivot_id).values_list(*LIST_ORDER).first() if pivot_id else None
    if pivot and after:
        rows = list(people.filter(_beyond(pivot, forward=True))[:per_page + 1])
        page = PersonPage(rows[:per_page], 0, has_previous=True, has_next=len(rows) > per_page)
    elif pivot or last:
        backwards = people.order_by(*(f"-{field}" for field in LIST_ORDER))
        if pivot:
            backwards = backwards.filter(_beyond(pivot, forward=False))
        rows = list(backwards[:per_page + 1])
        page = PersonPage(rows[:per_page][::-1], 0, has_previous=len(rows) > per_page, has_next=bool(pivot))
    else:
        rows = list(people[:per_page + 1])
        page = PersonPage(rows[:per_page], 0, has_previous=False, has_next=len(rows) > per_page)
    page.count = person_count(user=user, filters=filters)
    _audit_listed(user, page.object_list, filters)
    return page


def person_window(*, user, filters: PersonFilters, offset: int, limit: int) -> tuple[list[Person], int]:
    """Return `limit` of the user's people from `offset`, and how many there are; audits what it returns."""
    people = list(person_list(user=user, filters=filters)[offset:offset + limit])
    _audit_listed(user, people, filters)
    return people, person_count(user=user, filters=filters)


def _audit_listed(user, people: list[Person], filters: PersonFilters) -> None:
    audit_listed(actor=user, verb="person.listed", records=people,
                 detail={"filters": {k: v for k, v in vars(filters).items() if v}})


def caseload_summary(*, user) -> dict:
    """Return the size of the adviser's caseload and the people registered last (audited as a list)."""
    people = persons_visible_to(user)
    recent = list(people.select_related("region").order_by("-created_at", "-id")[:8])
    audit_listed(actor=user, verb="person.listed", records=recent, detail={"list": "recent"})
    return {"caseload": person_count(user=user, filters=PersonFilters()), "recent": recent}


def consents_in_force(purpose: str) -> QuerySet[Consent]:
    """Consents for `purpose` in force now (not withdrawn): the one rule every purpose's check uses
    (docs/consent.md). It reads the database, not a cache, so a withdrawal takes effect at the next request."""
    return Consent.objects.filter(purpose=purpose, withdrawn_at__isnull=True)


def consent_in_force(person: Person, purpose: str) -> Consent | None:
    """Return the person's consent for `purpose` that is in force now, or None."""
    return consents_in_force(purpose).filter(person=person).first()


def legal_status_of(person: Person, pk: int) -> LegalStatus:
    """Return one row of the status history of `person` (already reached through a scoped selector); 404 otherwise."""
    record = next((s for s in person.legal_statuses.all() if s.pk == pk), None)
    if record is None:
        raise Http404
    return record


def status_facts(person: Person) -> list[right_to_work.StatusFact]:
    """Return the person's status history as the right-to-work engine's facts (prefetched rows, no query)."""
    return [right_to_work.StatusFact.of(s) for s in person.legal_statuses.all()]


def right_to_work_for(person: Person, today: dt.date | None = None) -> list[right_to_work.Assessment]:
    """Return the right to work in Belgium and in France, with reasons in the active language."""
    today = today or timezone.localdate()
    language = (translation.get_language() or "en").split("-")[0]
    facts = status_facts(person)
    return [right_to_work.assess(facts, country, today, language) for country in right_to_work.WORK_COUNTRIES]


@dataclass(frozen=True)
class DuplicateCheck:
    in_scope: list[Person]
    elsewhere: int  # likely duplicates followed only by other organisations: a count, never names
    elsewhere_organisations: tuple = ()  # the organisations holding their open files (to ask for a referral)


def duplicate_candidates(*, user, given_name: str, family_name: str, date_of_birth: dt.date,
                         exclude_pk: int | None = None) -> DuplicateCheck:
    """Return people born the same day whose name is a likely spelling of this one."""
    full = f"{given_name} {family_name}"
    same_day = Person.objects.filter(date_of_birth=date_of_birth)
    if exclude_pk is not None:
        same_day = same_day.exclude(pk=exclude_pk)
    similar_ids = [
        pk for pk, g, f in same_day.values_list("pk", "given_name", "family_name")
        if duplicates.is_likely_duplicate(full, f"{g} {f}")
    ]
    visible = list(persons_visible_to(user).filter(pk__in=similar_ids).select_related("region"))
    audit_listed(actor=user, verb="person.duplicates_shown", records=visible)
    hidden = set(similar_ids) - {p.pk for p in visible}
    holders = tuple(Organisation.objects.filter(
        person_files__person_id__in=hidden, person_files__closed_at__isnull=True).distinct().order_by("name")) \
        if hidden else ()
    return DuplicateCheck(in_scope=visible, elsewhere=len(hidden), elsewhere_organisations=holders)


def person_counts(*, user) -> dict:
    """Return counts, never names, of the people followed by a coordinator's organisations.

    A coordinator of the portfolio itself (an organisation of kind "other") counts all partners.
    """
    org_ids = access.organisation_ids(user, Role.COORDINATOR)
    if not org_ids:
        return {"total": 0, "by_region": [], "by_status": [], "by_organisation": []}
    people = Person.objects.all()
    if not access.is_portfolio_coordinator(user):
        people = people.filter(Exists(PersonFile.objects.filter(person_id=OuterRef("pk"),
                                                                organisation_id__in=org_ids)))
    files = PersonFile.objects.filter(person__in=people, closed_at__isnull=True)
    region_names = {r.code: r.name for r in Region.objects.all()}
    return {
        "total": people.count(),
        "by_region": [
            # Names from the Region objects: modeltranslation gives them in the active language.
            {**row, "region__name": region_names.get(row["region__code"], row["region__code"])}
            for row in people.values("region__code").annotate(n=Count("id")).order_by("region__code")
        ],
        "by_status": [
            {**row, "label": LegalStatusKind(row["current_status"]).label if row["current_status"] else "—"}
            for row in people.values("current_status").annotate(n=Count("id")).order_by("-n")
        ],
        "by_organisation": list(files.values("organisation__name").annotate(n=Count("person_id", distinct=True))
                                .order_by("organisation__name")),
    }


def _person_field(name: str) -> Field:
    field = Person._meta.get_field(name)
    assert isinstance(field, Field)  # PERSON_FIELDS are concrete fields
    return field


def _shown(field: str, value: str) -> str:
    """A value a correction kept (codes, ISO dates) as the reader reads it, in their language."""
    from django.utils import formats

    from pont.core.i18n import country_name, language_name

    if value == "":
        return "—"
    if field == "languages":
        levels = dict(Cefr.choices)
        return ", ".join(f"{language_name(code)} ({levels.get(level, level)})" if level else language_name(code)
                         for code, _sep, level in (item.partition(":") for item in value.split(", ")))
    if field == "nationality":
        return country_name(value)
    model_field = _person_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, BooleanField):
        return str(_("yes") if value == "1" else _("no"))
    if isinstance(model_field, DateField):
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return value


def corrections_of(person: Person) -> list[dict]:
    """The corrections of a person `person_get` returned (one query), readable: field, before, after, who, why."""
    rows = []
    for c in Correction.objects.filter(person=person).select_related("by"):
        label = _("languages") if c.field == "languages" else _person_field(c.field).verbose_name
        rows.append({"at": c.at, "field": label, "before": _shown(c.field, c.old_value),
                     "after": _shown(c.field, c.new_value), "by": c.by, "reason": c.reason})
    return rows
