"""The indicators API: the registry and each indicator by period and breakdown (counts only, suppressed)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from pont.care.api import INDICATOR_AUTH
from pont.core.schemas import Date, errors
from pont.reporting import selectors
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


class TableQuery(Schema):
    from_: Date | None = Field(None, alias="from")
    to: Date | None = None
    by: Annotated[str, Field(pattern=r"^[a-z_]{0,40}$")] = ""


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
    """`from`/`to` default to the current year; `by` is one of the indicator's breakdowns."""
    today = timezone.localdate()
    since, until = query.from_ or today.replace(month=1, day=1), query.to or today
    if until < since:
        raise HttpError(422, _("The end must come after the start."))
    t = selectors.table(user=request.auth, code=code, period=Period(since, until), by=query.by)
    return {"indicator": _indicator_out(t.indicator), "period_from": since, "period_to": until,
            "breakdown": t.breakdown, "total": _cell(t.total), "rows": [_cell(c) for c in t.rows]}
