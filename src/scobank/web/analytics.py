"""Analytics pages: a member's profile (exports with RCA, complexity position, import substitution,
complementarity with each other member) and the import-substitution explorer. One call each to the
analytics services (`scobank.analytics.profile`, `.service`), the same the API's /analytics routes make;
inputs are datasets read through the gate with purpose "statistics"."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from scobank.access.gate import Reader
from scobank.analytics import profile, service
from scobank.api.deps import DbSession
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()
TREEMAP_CELLS = 40


def _statistics(reader: Reader) -> Reader:
    """The reader stating the purpose analytics read their inputs for (the gate checks it)."""
    from dataclasses import replace

    return replace(reader, purpose=reader.purpose or "statistics")


def treemap(rows: list[dict], *, value: str, label: str, group: str | None = None) -> dict:
    """charts.js treemap data: the largest `TREEMAP_CELLS` rows with a positive `value`."""
    cells = sorted((r for r in rows if (r.get(value) or 0) > 0), key=lambda r: -r[value])[:TREEMAP_CELLS]
    return {"items": [{"label": str(r[label]), "value": r[value], "group": r.get(group) if group else None}
                      for r in cells]}


@router.get("/members/{iso3}/profile", response_class=HTMLResponse)
def profile_page(request: Request, iso3: str, session: DbSession, reader: PageReader,
                 exports: str = service.EXPORTS_DATASET, flows: str = service.FLOWS_DATASET) -> HTMLResponse:
    result = profile.member_profile(session, reader=_statistics(reader), iso3=iso3, exports_dataset=exports,
                                    flows_dataset=flows, top=12)
    top = result.tables["top_exports"].rows
    return render(request, "analytics/profile.html", section="members", result=result, p=result.parameters,
                  exports_chart={"items": [{"label": r["product"], "value": r["value"]} for r in top]},
                  json_url=f"/api/v1/analytics/members/{iso3.upper()}/profile?exports_dataset={exports}")


@router.get("/opportunities/substitution", response_class=HTMLResponse)
def substitution_page(request: Request, session: DbSession, reader: PageReader, member: str = "KAZ",
                      level: int = Query(4), dataset: str = service.FLOWS_DATASET) -> HTMLResponse:
    """Products a member imports from outside the bloc, what members could supply instead, and who."""
    level = level if level in (2, 4, 6) else 4
    result = service.substitution(session, reader=_statistics(reader), dataset=dataset, level=level,
                                  importer=member.upper(), limit=500)
    rows = sorted(result.tables["substitution"].rows,  # what could be replaced first, then the largest imports
                  key=lambda r: (-(r["substitutable_value"] or 0), -(r["extra_bloc_imports"] or 0)))
    return render(request, "analytics/substitution.html", section="members", result=result, rows=rows,
                  member=member.upper(), level=level, dataset=dataset,
                  treemap_data=treemap(rows, value="extra_bloc_imports", label="product"),
                  json_url=f"/api/v1/analytics/substitution?dataset={dataset}&importer={member.upper()}")
