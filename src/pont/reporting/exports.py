"""Downloads of an indicator table: CSV (the table) and XLSX (the table, and the definitions on a second
sheet). The cells are the suppressed ones the page shows ("< 5"); the texts in the user's language."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from pont.audit.services import audit
from pont.reporting.registry import unit_label
from pont.reporting.selectors import Table

HIDDEN = "< 5"


def _value(cell) -> object:
    if cell.hidden:
        return HIDDEN
    return "" if cell.value is None else cell.value


def _rows(t: Table) -> list[list[object]]:
    head: list[object] = [t.breakdown_name or _("Whole"), _("Value"), _("People or signals behind it")]
    body = [[c.label, _value(c), "" if c.n is None else c.n] for c in t.rows]
    total = [_("Total"), _value(t.total), "" if t.total.n is None else t.total.n]
    return [head, *body, total]


def as_csv(t: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(t.indicator.name), t.period.since.isoformat(), t.period.until.isoformat()])
    writer.writerows(_rows(t))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM: spreadsheet programs read UTF-8 then


def as_xlsx(t: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Table")[:31]
    sheet.append([str(t.indicator.name)])
    sheet.append([_("From"), t.period.since, _("Until"), t.period.until])
    sheet.append([])
    for row in _rows(t):
        sheet.append(row)
    definitions = book.create_sheet(_("Definitions")[:31])
    i = t.indicator
    for label, text in ((_("Indicator"), i.name), (_("Code"), i.code), (_("Definition"), i.definition),
                        (_("Unit"), unit_label(i.unit)), (_("Numerator"), i.numerator),
                        (_("Denominator"), i.denominator or "—"), (_("Period"), i.period_rule),
                        (_("Suppression"), _("Cells below 5 are shown as \"< 5\", with the cells that would give "
                                             "them away."))):
        definitions.append([str(label), str(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response(*, user, code: str, period, by: str, filters, extension: str) -> HttpResponse:
    """The download of one indicator table (page and API alike); audited."""
    from pont.reporting import selectors

    if extension not in ("csv", "xlsx"):
        raise Http404
    t = selectors.table(user=user, code=code, period=period, by=by, filters=filters)
    if extension == "csv":
        answer = HttpResponse(as_csv(t), content_type="text/csv; charset=utf-8")
    else:
        answer = HttpResponse(as_xlsx(t), content_type=XLSX)
    name = f"pont-{code}-{t.period.since:%Y%m%d}-{t.period.until:%Y%m%d}{'-' + by if by else ''}.{extension}"
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    audit(actor=user, verb="reporting.export.downloaded", obj=user,
          detail={"indicator": code, "format": extension, "by": by} | filters.detail())
    return answer
