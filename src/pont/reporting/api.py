"""The indicators API: the registry and each indicator by period and breakdown (counts only, suppressed)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from pont.care.api import INDICATOR_AUTH
from pont.core.schemas import Date, errors
from pont.reporting import exports, infographic, selectors
from pont.reporting.exports import XLSX
from pont.reporting.registry import Period

router = Router(tags=["reporting"])
Code = Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]


class BreakdownOut(Schema):
    code: str
    name: str


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    unit: str
    numerator: str
    denominator: str
    period_rule: str
    breakdowns: list[BreakdownOut]


class CellOut(Schema):
    key: str
    label: str
    value: float | None = Field(description="null when the cell is hidden (fewer than 5) or there is nothing to count")
    n: int | None = Field(description="the people or signals behind the value; null when hidden")
    hidden: bool = Field(description="true: shown as \"< 5\"")


class TableOut(Schema):
    indicator: IndicatorOut
    period_from: dt.date
    period_to: dt.date
    breakdown: str
    total: CellOut
    rows: list[CellOut]


class ScopeQuery(Schema):
    """The period and filters, as on the pages: the current semester and no filter by default."""

    from_: Date | None = Field(None, alias="from")
    to: Date | None = None
    country: Literal["", "BE", "FR"] = ""
    region: Annotated[str, Field(pattern=r"^([A-Z]{2}[0-9A-Z]{1,3})?$")] = Field("", description="a NUTS code")
    organisation: int | None = Field(None, ge=1, le=2**31 - 1)

    def read(self) -> tuple[Period, selectors.Filters]:
        from pont.reporting.periods import semester_of

        default = semester_of(timezone.localdate())
        since, until = self.from_ or default.since, self.to or default.until
        if until < since:
            raise HttpError(422, _("The end must come after the start."))
        return Period(since, until), selectors.Filters(country=self.country, region=self.region,
                                                       organisation=self.organisation)


class TableQuery(ScopeQuery):
    by: Annotated[str, Field(pattern=r"^[a-z_]{0,40}$")] = ""


def download(*media_types: str) -> dict:
    """The OpenAPI answer of a file download (not JSON)."""
    return {"responses": {200: {"description": "the file", "content": {
        m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}}}}


def _indicator_out(i) -> dict:
    return {"code": i.code, "name": str(i.name), "definition": str(i.definition), "unit": i.unit,
            "numerator": str(i.numerator), "denominator": str(i.denominator), "period_rule": str(i.period_rule),
            "breakdowns": [{"code": b.code, "name": str(b.name)} for b in i.breakdowns]}


def _cell(c) -> dict:
    return {"key": c.key, "label": c.label, "value": c.value, "n": c.n, "hidden": c.hidden}


@router.get("/indicators", auth=INDICATOR_AUTH, response={200: list[IndicatorOut], **errors()},
            summary="The indicators you may read, with their definitions")
def indicator_list(request):
    return [_indicator_out(i) for i in selectors.indicators_for(request.auth)]


@router.get("/indicators/{code}", auth=INDICATOR_AUTH, response={200: TableOut, **errors()},
            summary="One indicator for a period, as a whole and by a breakdown (cells below 5 hidden)")
def indicator_table(request, code: Code, query: Query[TableQuery]):
    """`from`/`to` default to the current semester; `by` is one of the indicator's breakdowns."""
    period, filters = query.read()
    t = selectors.table(user=request.auth, code=code, period=period, by=query.by, filters=filters)
    return {"indicator": _indicator_out(t.indicator), "period_from": period.since, "period_to": period.until,
            "breakdown": t.breakdown, "total": _cell(t.total), "rows": [_cell(c) for c in t.rows]}


@router.get("/indicators/{code}/export", auth=INDICATOR_AUTH, response={200: None, **errors()},
            openapi_extra=download("text/csv", XLSX), summary="One indicator table as CSV or XLSX (definitions inside)")
def indicator_export(request, code: Code, query: Query[TableQuery], format: Literal["csv", "xlsx"] = "csv"):
    period, filters = query.read()
    return exports.response(user=request.auth, code=code, period=period, by=query.by, filters=filters,
                            extension=format)


class InfographicQuery(ScopeQuery):
    lang: Literal["fr", "nl", "en"] = "fr"
    format: Literal["pdf", "png"] = "pdf"


@router.get("/infographic", auth=INDICATOR_AUTH, response={200: None, **errors()},
            openapi_extra=download("application/pdf", "image/png"),
            summary="The period's headline figures as an A4 infographic (PDF, vector, or PNG) in a language")
def infographic_get(request, query: Query[InfographicQuery]):
    period, filters = query.read()
    return infographic.response(user=request.auth, period=period, filters=filters, language=query.lang,
                                extension=query.format)


class ExtractIn(Schema):
    from_: Date = Field(alias="from")
    to: Date
    key: Annotated[str, Field(min_length=16, max_length=200)] = Field(
        description="your export key: the pseudonyms are an HMAC of each person's id under it; Pont erases it "
                    "once the extract is ready")
    country: Literal["", "BE", "FR"] = ""
    region: Annotated[str, Field(pattern=r"^([A-Z]{2}[0-9A-Z]{1,3})?$")] = ""
    organisation: int | None = Field(None, ge=1, le=2**31 - 1)


class ExtractOut(Schema):
    id: int
    period_from: dt.date
    period_to: dt.date
    status: Literal["running", "done", "failed"]
    progress: int = Field(description="percent")
    rows: int
    key_fingerprint: str
    requested_at: dt.datetime
    download: str | None = Field(description="the CSV's address once ready")


def _extract_out(e) -> dict:
    from django.urls import reverse

    return {"id": e.pk, "period_from": e.since, "period_to": e.until, "status": e.status, "progress": e.progress,
            "rows": e.rows, "key_fingerprint": e.key_fingerprint, "requested_at": e.requested_at,
            "download": reverse("api:extract_download", args=[e.pk]) if e.status == "done" else None}


@router.post("/extracts", auth=INDICATOR_AUTH, response={202: ExtractOut, **errors(body=True)},
             summary="Ask for the pseudonymised evaluation extract (prepared in the background)")
def extract_create(request, payload: ExtractIn):
    from pont.reporting import services

    extract = services.extract_request(
        user=request.auth, period=Period(payload.from_, payload.to), key=payload.key,
        filters=selectors.Filters(country=payload.country, region=payload.region,
                                  organisation=payload.organisation))
    return 202, _extract_out(extract)


@router.get("/extracts", auth=INDICATOR_AUTH, response={200: list[ExtractOut], **errors()},
            summary="Your evaluation extracts, newest first")
def extract_list(request):
    return [_extract_out(e) for e in selectors.extracts_for(request.auth)[:50]]


@router.get("/extracts/{extract_id}", auth=INDICATOR_AUTH, response={200: ExtractOut, **errors()},
            summary="One of your extracts: how far it is")
def extract_detail(request, extract_id: Annotated[int, Field(ge=1, le=2**31 - 1)]):
    return _extract_out(selectors.extract_get(user=request.auth, pk=extract_id))


@router.get("/extracts/{extract_id}/download", auth=INDICATOR_AUTH, response={200: None, **errors()},
            openapi_extra=download("text/csv"), url_name="extract_download",
            summary="Download a ready extract as CSV (audited)")
def extract_download(request, extract_id: Annotated[int, Field(ge=1, le=2**31 - 1)]):
    from pont.reporting import extract as engine

    return engine.response(user=request.auth, pk=extract_id)
