"""report: one self-contained HTML file from the warehouse: a map of the sites (SVG drawn from their
coordinates, no tiles), a timeline of claims, the deployment table with corroboration and certainty,
and every claim's provenance (article, offsets, sentence with its system and site names marked).

Article text is untrusted: every value is escaped on the way into the page, the one embedded JSON
block escapes `<`, `>` and `&`, and a Content-Security-Policy lets only the report's own script run
and nothing load from anywhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from flows import warehouse as wh
from flows.models import CERTAINTY_ORDER
from flows.stages.validate import CLAIM_TYPES

KREMLIN = (55.7520, 37.6175)
MOSCOW_RADIUS_KM = 60.0  # sites this close to the Kremlin go on the Moscow map
CENTRAL_RADIUS_KM = 5.0  # ... and these into its inset of central Moscow
KM_PER_DEGREE = 111.195
CERTAINTY_COLOURS = {
    "asserted": "#15803d", "reported": "#2563eb", "hedged": "#ca8a04",
    "speculative": "#db2777", "question": "#7c3aed", "negated": "#b91c1c",
}
EXACT_PLACES = ("building", "street")  # drawn solid; coarser places are drawn as dashed areas


# --- HTML helpers (also used by flows/data_docs.py) -----------------------------------------------

BASE_CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f6f7f9; --card:#fff; --accent:#c2410c; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:1240px; margin:0 auto; padding:24px 28px 48px; }
header.page { display:flex; justify-content:space-between; align-items:flex-end; gap:24px;
  border-bottom:1px solid var(--line); padding-bottom:14px; margin-bottom:20px; }
h1 { font-size:24px; margin:0; letter-spacing:-.01em; }
h2 { font-size:18px; margin:0 0 4px; }
h3 { font-size:14px; margin:0 0 8px; color:var(--muted); font-weight:600; }
.sub, .note { color:var(--muted); font-size:13px; margin:0 0 12px; }
section.card { background:var(--card); border:1px solid var(--line); border-radius:10px;
  padding:18px 20px; margin:0 0 20px; }
nav a { color:var(--muted); text-decoration:none; margin-left:16px; font-weight:500; }
nav a:hover { color:var(--ink); }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--muted); background:#fafafa; }
.scroll { overflow-x:auto; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
tr[hidden] { display:none; }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; font-weight:600;
  color:#fff; white-space:nowrap; }
.pass { background:#15803d; } .fail { background:#b91c1c; } .warn { background:#b45309; }
code { font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; color:#374151; }
"""


def esc(value: object) -> str:
    """Text or attribute value, HTML-escaped; None becomes ''."""
    return "" if value is None else html.escape(str(value), quote=True)


def script_json(data: object) -> str:
    """JSON safe inside <script>: no `<`, `>` or `&` survive to close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(title: str, body: str, css: str = "", script: str = "", data: object = None) -> str:
    """A whole HTML document: inline CSS, optional JSON data block and inline script, and a CSP that
    allows that one script (by its hash) and nothing from the network."""
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    data_block = f'<script type="application/json" id="report-data">{script_json(data)}</script>' if data is not None else ""
    script_block = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{BASE_CSS}{css}</style></head>"
        f"<body><main>{body}</main>{data_block}{script_block}</body></html>\n"
    )


def row_html(cells: list[str | tuple[str, object]], attrs: dict[str, str] | None = None,
             numeric: set[int] = frozenset()) -> str:
    """One <tr> of already-escaped cells; a cell given as (html, key) sorts by key; columns in
    `numeric` are right-aligned."""
    attributes = "".join(f' {name}="{esc(value)}"' for name, value in (attrs or {}).items())
    tds = []
    for i, cell in enumerate(cells):
        content, key = cell if isinstance(cell, tuple) else (cell, None)
        sort = f' data-sort="{esc(key)}"' if key is not None else ""
        css = ' class="num"' if i in numeric else ""
        tds.append(f"<td{css}{sort}>{content}</td>")
    return f"<tr{attributes}>{''.join(tds)}</tr>"


def table_html(headers: list[str], rows: list[str], table_id: str = "", numeric: set[int] = frozenset()) -> str:
    ths = "".join(
        f'<th class="num" data-type="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    ident = f' id="{esc(table_id)}"' if table_id else ""
    return f"<table{ident}><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def anchor_id(prefix: str, *parts: str) -> str:
    """An element id from content-derived keys, reduced to characters safe anywhere."""
    return prefix + "-" + "-".join(re.sub(r"[^A-Za-z0-9_]+", "_", str(p)) for p in parts)


# --- data --------------------------------------------------------------------------------------


@dataclass
class ReportData:
    """Everything the report shows, read from the warehouse's views."""

    stats: dict
    latest_run: dict | None
    sites: list[dict]
    deployments: list[dict]  # v_deployment_summary rows
    claims_by_pair: dict[tuple[str, str], list[str]]  # (system_id, site_id) -> claim ids
    claims: list[dict]  # v_timeline rows
    articles: dict[str, dict]
    marks: dict[str, list[tuple[int, int, str]]]  # article -> (start, end, 'system'|'site') of its mentions


def read_report_data(con) -> ReportData:
    """Query the views the report draws on (con: a read-only warehouse connection)."""

    def q(sql: str) -> list[dict]:
        return wh.fetch_dicts(con, sql)

    stats = q(
        "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM claims) AS claims, "
        "(SELECT count(DISTINCT claim_id) FROM deployments) AS deployment_claims, "
        "(SELECT count(*) FROM v_deployment_summary) AS pairs"
    )[0]
    runs = q("SELECT * FROM v_runs ORDER BY started_at_utc DESC LIMIT 1")
    claims_by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in q("SELECT DISTINCT system_id, site_id, claim_id, source_name, char_start FROM v_deployments "
                 "ORDER BY source_name, char_start"):
        claims_by_pair[(row["system_id"], row["site_id"])].append(row["claim_id"])
    marks: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for row in q("SELECT article_id, char_start, char_end, entity_type FROM mentions "
                 "WHERE entity_type IN ('system', 'site') ORDER BY article_id, char_start, char_end DESC"):
        marks[row["article_id"]].append((row["char_start"], row["char_end"], row["entity_type"]))
    return ReportData(
        stats=stats,
        latest_run=runs[0] if runs else None,
        sites=q("SELECT * FROM v_site_map WHERE lat IS NOT NULL AND lon IS NOT NULL "
                "ORDER BY n_deployment_claims DESC, n_mentions DESC, name"),
        deployments=q("SELECT * FROM v_deployment_summary "
                      "ORDER BY n_original_sources DESC, n_claims DESC, system_name, site_name"),
        claims_by_pair=dict(claims_by_pair),
        claims=q("SELECT * FROM v_timeline ORDER BY source_name, char_start, claim_id"),
        articles={r["article_id"]: r for r in q("SELECT article_id, source_name, title, publisher, url, "
                                                  "published_date FROM v_articles")},
        marks=dict(marks),
    )


def write_report(warehouse_path: Path, out_path: Path) -> Path:
    """Read the warehouse (read-only) and write the HTML report to `out_path`; returns the path written."""
    with wh.read_only(Path(warehouse_path)) as con:
        data = read_report_data(con)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(data, wh.utc_now()), encoding="utf-8")
    return out


# --- the page ------------------------------------------------------------------------------------

REPORT_CSS = """
.kpis { display:grid; grid-template-columns:repeat(5,1fr); gap:12px; margin:0 0 20px; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.kpi b { display:block; font-size:22px; font-variant-numeric:tabular-nums; }
.kpi span { color:var(--muted); font-size:12px; }
.maps { display:grid; grid-template-columns:minmax(0,1.75fr) minmax(0,1fr); gap:16px; }
.maps.single { grid-template-columns:1fr; }
figure { margin:0; } figcaption { color:var(--muted); font-size:12px; margin-top:6px; }
svg { display:block; width:100%; height:auto; background:#fbfcfd; border:1px solid var(--line); border-radius:8px; }
svg text { font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; }
.marker { cursor:pointer; } .marker:hover circle { stroke:#111827; stroke-width:2; }
.legend { display:flex; flex-wrap:wrap; gap:14px; color:var(--muted); font-size:12px; margin:10px 0 0; }
.legend i { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:5px; vertical-align:-1px; }
.toolbar { display:flex; gap:10px; align-items:center; margin:0 0 10px; color:var(--muted); font-size:13px; }
select { font:inherit; padding:3px 6px; border:1px solid var(--line); border-radius:6px; background:#fff; }
#deployment-table th { cursor:pointer; } #deployment-table th:hover { color:var(--ink); }
.refs a { display:inline-block; min-width:22px; text-align:center; margin:0 2px 2px 0; padding:0 5px;
  border:1px solid var(--line); border-radius:5px; text-decoration:none; color:#1d4ed8; font-size:12px; }
.refs a:hover { background:#eff6ff; }
.single-source { display:block; color:var(--accent); font-size:11px; font-weight:600; white-space:nowrap; }
#deployment-table td:nth-child(1), #deployment-table td:nth-child(9), #deployment-table td:nth-child(10),
#timeline td:first-child { white-space:nowrap; }
.article { border-top:1px solid var(--line); padding:12px 0 4px; }
.article h3 { color:var(--ink); font-size:14px; margin:0 0 2px; }
.claim { margin:8px 0 10px; padding:8px 12px; border-left:3px solid var(--line); border-radius:0 6px 6px 0; }
.claim:target { background:#fffbeb; border-left-color:#f59e0b; }
.claim .meta { color:var(--muted); font-size:12px; margin-bottom:3px; }
.claim blockquote { margin:0; font-size:14px; }
mark { padding:0 2px; border-radius:3px; }
mark.m-system { background:#fde2d2; color:#7c2d12; }
mark.m-site { background:#dbeafe; color:#1e3a8a; }
.claim .back a { font-size:12px; color:#1d4ed8; text-decoration:none; margin-right:10px; }
.empty { color:var(--muted); font-style:italic; }
"""

REPORT_JS = """
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const table = document.getElementById("deployment-table");
  const select = document.getElementById("site-filter");
  if (table && select) {
    for (const site of data.sites) {
      const option = document.createElement("option");
      option.value = site.id;
      option.textContent = site.name + " (" + site.n_claims + ")";
      select.append(option);
    }
    const rows = Array.from(table.tBodies[0].rows);
    const show = (siteId) => {
      select.value = siteId;
      for (const row of rows) row.hidden = Boolean(siteId) && row.dataset.site !== siteId;
    };
    select.addEventListener("change", () => show(select.value));
    for (const marker of document.querySelectorAll("[data-marker-site]")) {
      marker.addEventListener("click", () => {
        show(marker.dataset.markerSite);
        table.scrollIntoView({ behavior: "smooth", block: "start" });
      });
    }
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      th.addEventListener("click", () => {
        const numeric = th.dataset.type === "num";
        const direction = th.dataset.sorted === "asc" ? -1 : 1;
        const key = (row) => row.cells[index].dataset.sort ?? row.cells[index].textContent;
        rows.sort((a, b) => direction * (numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b))));
        th.dataset.sorted = direction === 1 ? "asc" : "desc";
        table.tBodies[0].append(...rows);
      });
    });
  }
  document.body.dataset.ready = "1";
})();
"""


def render_report(data: ReportData, generated_at: dt.datetime) -> str:
    """The report as one HTML string (pure: data in, text out)."""
    run = data.latest_run
    run_line = (f"latest run {esc(run['run_id'])} · {esc(run['status'])} · data quality {esc(run['dq_verdict'])}"
                if run else "no runs recorded")
    header = (
        '<header class="page"><div><h1>flakturm · air-defence deployments</h1>'
        f'<p class="sub" style="margin:4px 0 0">Generated {esc(generated_at.strftime("%Y-%m-%d %H:%M"))} UTC · {run_line}</p></div>'
        '<nav><a href="#map">Map</a><a href="#timeline">Timeline</a><a href="#deployments">Deployments</a>'
        '<a href="#provenance">Provenance</a></nav></header>'
    )
    kpis = [
        ("articles", data.stats["articles"]), ("claims", data.stats["claims"]),
        ("deployment claims", data.stats["deployment_claims"]), ("system–site pairs", data.stats["pairs"]),
        ("places with coordinates", len(data.sites)),
    ]
    kpi_html = '<div class="kpis">' + "".join(f'<div class="kpi"><b>{v}</b><span>{esc(k)}</span></div>' for k, v in kpis) + "</div>"
    body = header + kpi_html + map_section(data.sites) + timeline_section(data.claims) + \
        deployment_section(data) + provenance_section(data)
    claims_per_site: dict[tuple[str, str], int] = defaultdict(int)
    for d in data.deployments:
        claims_per_site[(d["site_id"], d["site_name"])] += d["n_claims"]
    sites = [{"id": i, "name": name, "n_claims": n} for (i, name), n in sorted(claims_per_site.items(), key=lambda kv: kv[0][1])]
    return page("flakturm report", body, REPORT_CSS, REPORT_JS, {"sites": sites})


# --- map -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular, fitted to a set of points: longitude scaled by cos(central latitude)."""

    lat0: float
    lon0: float
    px_per_degree: float
    width: float
    height: float

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        kx = math.cos(math.radians(self.lat0))
        return (self.width / 2 + (lon - self.lon0) * kx * self.px_per_degree,
                self.height / 2 - (lat - self.lat0) * self.px_per_degree)

    @property
    def px_per_km(self) -> float:
        return self.px_per_degree / KM_PER_DEGREE

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, north, west, east) of the canvas."""
        kx = math.cos(math.radians(self.lat0))
        half_lat = self.height / 2 / self.px_per_degree
        half_lon = self.width / 2 / self.px_per_degree / kx
        return self.lat0 - half_lat, self.lat0 + half_lat, self.lon0 - half_lon, self.lon0 + half_lon


def fit(points: list[tuple[float, float]], width: float, height: float, pad: float, min_span: float) -> Projection:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lat0, lon0 = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    kx = math.cos(math.radians(lat0))
    span_x = max((max(lons) - min(lons)) * kx, min_span)
    span_y = max(max(lats) - min(lats), min_span)
    return Projection(lat0, lon0, min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y), width, height)


def _nice_step(span: float, target: int, steps: tuple[float, ...]) -> float:
    return next((s for s in steps if span / s <= target), steps[-1])


def _graticule(proj: Projection, labelled: bool = True) -> str:
    south, north, west, east = proj.bounds()
    step = _nice_step(max(north - south, east - west), 6, (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30))
    digits = max(0, -math.floor(math.log10(step)))
    parts = []
    for i in range(math.ceil(south / step), math.floor(north / step) + 1):
        lat = i * step
        _, y = proj(lat, proj.lon0)
        parts.append(f'<line x1="0" x2="{proj.width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        if labelled and 14 < y < proj.height - 24:
            parts.append(f'<text x="4" y="{y - 3:.1f}" class="gridlabel">{abs(lat):.{digits}f}°{"N" if lat >= 0 else "S"}</text>')
    for i in range(math.ceil(west / step), math.floor(east / step) + 1):
        lon = i * step
        x, _ = proj(proj.lat0, lon)
        parts.append(f'<line y1="0" y2="{proj.height}" x1="{x:.1f}" x2="{x:.1f}" class="grid"/>')
        if labelled and 44 < x < proj.width - 44:
            parts.append(f'<text x="{x + 3:.1f}" y="{proj.height - 5}" class="gridlabel">{abs(lon):.{digits}f}°{"E" if lon >= 0 else "W"}</text>')
    return "".join(parts)


def _scale_bar(proj: Projection) -> tuple[str, Box]:
    """A scale bar in the bottom-right corner, and the box it covers."""
    km = _nice_step(proj.width / proj.px_per_km / 5, 1, (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000))
    length = km * proj.px_per_km
    x, y = proj.width - length - 14, proj.height - 26
    box = (x - 6, y - 18, x + length + 6, y + 8)
    return (f'<g class="scale"><rect x="{box[0]:.1f}" y="{box[1]}" width="{length + 12:.1f}" height="26" rx="3"/>'
            f'<path d="M{x:.1f} {y - 4}V{y}H{x + length:.1f}V{y - 4}"/>'
            f'<text x="{x + length / 2:.1f}" y="{y - 6}" text-anchor="middle">{km:g} km</text></g>'), box


def _radius(site: dict) -> float:
    """Marker size: area grows with the number of deployment claims."""
    return 4.0 + 3.5 * math.sqrt(site["n_deployment_claims"]) if site["n_deployment_claims"] else 3.5


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(items: list[tuple[float, float, float, str | None]], width: float, height: float,
                  avoid: list[Box] = ()) -> list[str]:
    """Greedy label placement, biggest markers first: beside the marker if free, else further out with
    a leader line. Items without text are obstacles only."""
    placed: list[Box] = [(x - r, y - r, x + r, y + r) for x, y, r, _ in items] + list(avoid)
    out = []
    for x, y, r, text in sorted(items, key=lambda item: -item[2]):
        if not text:
            continue
        w, h = 7.0 * len(text) + 6, 15
        candidates = [(x + r + 3, y - h / 2, "start"), (x - r - 3 - w, y - h / 2, "end"),
                      (x - w / 2, y - r - 2 - h, "middle"), (x - w / 2, y + r + 2, "middle")]
        for dist in (20, 36, 52, 68, 84, 100, 116):
            for dy in (-dist, dist):
                candidates += [(x + r + 16, y + dy - h / 2, "start"), (x - r - 16 - w, y + dy - h / 2, "end")]
        fits = [c for c in candidates if c[0] >= 2 and c[1] >= 2 and c[0] + w <= width - 2 and c[1] + h <= height - 2]
        free = [c for c in fits if not any(_overlaps((c[0], c[1], c[0] + w, c[1] + h), b) for b in placed)]
        bx, by, anchor = (free or fits or candidates)[0]
        placed.append((bx, by, bx + w, by + h))
        tx = {"start": bx + 3, "end": bx + w - 3, "middle": bx + w / 2}[anchor]
        if abs(by + h / 2 - y) > r + h / 2 + 2 and anchor != "middle":
            lx = bx if anchor == "start" else bx + w
            out.append(f'<line class="leader" x1="{x:.1f}" y1="{y:.1f}" x2="{lx:.1f}" y2="{by + h / 2:.1f}"/>')
        out.append(f'<text class="label" x="{tx:.1f}" y="{by + 11.5:.1f}" text-anchor="{anchor}">{esc(text)}</text>')
    return out


def _marker(site: dict, x: float, y: float) -> str:
    r = _radius(site)
    claimed = site["n_deployment_claims"] > 0
    exact = site["place_precision"] in EXACT_PLACES
    colour = "#c2410c" if claimed else "#94a3b8"
    style = (f'fill="{colour}" fill-opacity="{0.85 if exact else 0.22}" stroke="{colour}" stroke-width="1.5"'
             + ("" if exact else ' stroke-dasharray="3 2"'))
    title = (f"{site['name']} · {site['site_type'] or 'place'} ({site['place_precision']} precision) · "
             f"{site['n_deployment_claims']} deployment claim(s), {site['n_mentions']} mention(s) in "
             f"{site['n_articles']} article(s) · {site['distance_km']:.1f} km from the Kremlin")
    data = f' data-marker-site="{esc(site["site_id"])}"' if claimed else ""
    return (f'<g class="marker"{data}><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
            f"<title>{esc(title)}</title></g>")


@dataclass(frozen=True)
class Cluster:
    """Several sites drawn as one marker (the Moscow area on the wider map)."""

    lat: float
    lon: float
    name: str
    n_deployment_claims: int

    def svg(self, x: float, y: float) -> str:
        r = _radius({"n_deployment_claims": self.n_deployment_claims})
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#c2410c" fill-opacity=".85" stroke="#7c2d12" '
                f'stroke-width="1.5"><title>{esc(self.name)}: {self.n_deployment_claims} deployment claim(s), '
                "see its own map</title></circle>")


MAP_STYLE = (
    "<style>.grid{stroke:#e8ebf0;stroke-width:1}.gridlabel{fill:#9aa3af;font-size:10px}"
    ".label{fill:#1f2937;font-size:12px;font-weight:500;paint-order:stroke;stroke:#fbfcfd;stroke-width:3px;"
    "stroke-linejoin:round}.leader{stroke:#9aa3af;stroke-width:.8}.scale rect{fill:#fbfcfd;fill-opacity:.85}"
    ".scale path{fill:none;stroke:#4b5563;stroke-width:1.2}.scale text{fill:#4b5563;font-size:11px}"
    ".ring{fill:none;stroke:#cbd5e1;stroke-dasharray:4 4}.ringlabel{fill:#94a3b8;font-size:10px}"
    ".inset-frame{fill:#fff;stroke:#94a3b8;stroke-width:1.2}.inset-box{fill:none;stroke:#475569;"
    "stroke-width:1;stroke-dasharray:3 2}.inset-title{fill:#374151;font-size:11px;font-weight:600;"
    "paint-order:stroke;stroke:#fff;stroke-width:4px}</style>"
)


def _map_layer(sites: list[dict], proj: Projection, rings_km: tuple[float, ...] = (), clusters: list[Cluster] = (),
               unlabelled: set[str] = frozenset(), avoid: list[Box] = (), grid_labels: bool = True) -> str:
    """Graticule, distance rings around the Kremlin, markers (biggest underneath), labels, scale bar."""
    parts = [_graticule(proj, grid_labels)]
    kx, ky = proj(*KREMLIN)
    for km in rings_km:
        r = km * proj.px_per_km
        parts.append(f'<circle class="ring" cx="{kx:.1f}" cy="{ky:.1f}" r="{r:.1f}"/>')
        lx, ly = kx + r * 0.71 + 2, ky - r * 0.71 - 2
        if 0 < lx < proj.width - 40 and 12 < ly < proj.height and not any(
                _overlaps((lx, ly - 10, lx + 36, ly), box) for box in avoid):
            parts.append(f'<text class="ringlabel" x="{lx:.1f}" y="{ly:.1f}">{km:g} km</text>')
    labels = []
    for site in sorted(sites, key=_radius, reverse=True):
        x, y = proj(site["lat"], site["lon"])
        parts.append(_marker(site, x, y))
        labels.append((x, y, _radius(site), None if site["site_id"] in unlabelled else site["name"]))
    for cluster in clusters:
        x, y = proj(cluster.lat, cluster.lon)
        parts.append(cluster.svg(x, y))
        labels.append((x, y, _radius({"n_deployment_claims": cluster.n_deployment_claims}), cluster.name))
    scale_bar, scale_box = _scale_bar(proj)
    parts += _place_labels(labels, proj.width, proj.height, [*avoid, scale_box])
    parts.append(scale_bar)
    return "".join(parts)


def _svg(width: int, height: int, label: str, content: str) -> str:
    return f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">{MAP_STYLE}{content}</svg>'


def _points(sites: list[dict]) -> list[tuple[float, float]]:
    return [(s["lat"], s["lon"]) for s in sites]


def moscow_map_svg(near: list[dict], width: int = 760, height: int = 480) -> str:
    """Sites near Moscow, with 10 km rings around the Kremlin and, when the centre is crowded, an inset
    of central Moscow placed in the emptiest corner."""
    proj = fit(_points(near), width, height, pad=40, min_span=0.05)
    central = [s for s in near if s["distance_km"] <= CENTRAL_RADIUS_KM]
    if len(central) < 3 or len(central) == len(near):
        return _svg(width, height, "Sites near Moscow", _map_layer(near, proj, rings_km=(10, 20, 30, 40, 50)))
    iw, ih, margin = 330, 236, 10
    corners = [(margin, margin), (width - iw - margin, margin), (margin, height - ih - margin - 30),
               (width - iw - margin, height - ih - margin - 30)]
    others = [proj(s["lat"], s["lon"]) for s in near if s not in central]
    ix, iy = min(corners, key=lambda c: sum(c[0] - 60 < x < c[0] + iw + 60 and c[1] - 20 < y < c[1] + ih + 20
                                             for x, y in others))
    inset_proj = fit(_points(central), iw, ih, pad=34, min_span=0.01)
    south, north, west, east = inset_proj.bounds()
    (x0, y0), (x1, y1) = proj(north, west), proj(south, east)
    inset = (f'<rect class="inset-box" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"/>'
             f'<rect class="inset-frame" x="{ix}" y="{iy}" width="{iw}" height="{ih}"/>'
             f'<svg x="{ix}" y="{iy}" width="{iw}" height="{ih}" viewBox="0 0 {iw} {ih}">'
             + _map_layer(central, inset_proj, rings_km=(1, 2, 3, 4, 5), avoid=[(0, 0, 200, 22)], grid_labels=False)
             + '<text class="inset-title" x="8" y="16">Central Moscow (dashed box)</text></svg>')
    main = _map_layer(near, proj, rings_km=(10, 20, 30, 40, 50), unlabelled={s["site_id"] for s in central},
                      avoid=[(ix, iy, ix + iw, iy + ih), (x0 - 2, y0 - 2, x1 + 2, y1 + 2)])
    return _svg(width, height, "Sites near Moscow", main + inset)


def map_section(sites: list[dict]) -> str:
    """The Moscow map (with its central inset) beside a map of everything further away."""
    near = [s for s in sites if s["distance_km"] <= MOSCOW_RADIUS_KM]
    # a country or region drawn as a point says little (and 'Arctic' sits on the North Pole)
    far = [s for s in sites if s["distance_km"] > MOSCOW_RADIUS_KM
           and (s["place_precision"] not in ("country", "region") or s["n_deployment_claims"])]
    left_out = sorted(s["name"] for s in sites if s["distance_km"] > MOSCOW_RADIUS_KM and s not in far)
    figures = []
    if near:
        figures.append(f"<figure>{moscow_map_svg(near)}<figcaption>Moscow area: {len(near)} site(s) within "
                       f"{MOSCOW_RADIUS_KM:g} km of the Kremlin; dashed rings every 10 km (1 km in the inset) "
                       "from the Kremlin.</figcaption></figure>")
    if far:
        clusters = [Cluster(*KREMLIN, "Moscow area", sum(s["n_deployment_claims"] for s in near))] if near else []
        proj = fit(_points(far) + [(c.lat, c.lon) for c in clusters], 440, 480, pad=40, min_span=2.0)
        figures.append(
            f"<figure>{_svg(440, 480, 'Sites further away', _map_layer(far, proj, clusters=clusters))}"
            f"<figcaption>Wider area: {len(far)} site(s) further away"
            + (f"; not drawn, being country or region sized: {esc(', '.join(left_out))}" if left_out else "")
            + ".</figcaption></figure>"
        )
    legend = (
        '<div class="legend"><span><i style="background:#c2410c"></i>site with deployment claims (area: number '
        'of claims; click to filter the table)</span><span><i style="background:#94a3b8"></i>site only mentioned'
        '</span><span><i style="background:#6b7280"></i>building or street</span><span><i style="border:1.5px '
        'dashed #6b7280;background:transparent"></i>district, city or larger (approximate point)</span></div>'
    )
    content = (f'<div class="maps{"" if len(figures) > 1 else " single"}">{"".join(figures)}</div>{legend}'
               if figures else '<p class="empty">No site with coordinates has been mentioned yet.</p>')
    return ('<section class="card" id="map"><h2>Map of sites</h2><p class="sub">Drawn from the sites\' '
            "coordinates (equirectangular projection, no map tiles); hover a circle for details.</p>"
            + content + "</section>")


# --- timeline ------------------------------------------------------------------------------------


def _interval(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The days a date of this precision may stand for, as [start, end)."""
    if precision == "week":
        return day, day + dt.timedelta(days=7)
    if precision == "month":
        start = day.replace(day=1)
        return start, (start + dt.timedelta(days=32)).replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1)
    return day, day + dt.timedelta(days=1)


def _month_ticks(start: dt.date, end: dt.date, max_ticks: int = 12) -> list[dt.date]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= max_ticks), months // max_ticks + 1)
    tick, ticks = dt.date(start.year, 1, 1), []
    while tick <= end:
        if tick >= start:
            ticks.append(tick)
        month = tick.month - 1 + step
        tick = dt.date(tick.year + month // 12, month % 12 + 1, 1)
    return ticks


def timeline_svg(claims: list[dict], width: int = 1180) -> str:
    """Dated claims in lanes by claim type, coloured by certainty; wider date precisions as bars."""
    spans = {c["claim_id"]: _interval(c["claim_date"], c["date_precision"]) for c in claims}
    first = min(s for s, _ in spans.values())
    last = max(e for _, e in spans.values())
    total = max((last - first).days, 30)
    first -= dt.timedelta(days=math.ceil(total * 0.04))
    last += dt.timedelta(days=math.ceil(total * 0.04))
    left, right, top = 120, 24, 26

    def x(day: dt.date) -> float:
        return left + (day - first).days / (last - first).days * (width - left - right)

    lanes = [t for t in CLAIM_TYPES if any(c["claim_type"] == t for c in claims)]
    # dots closer than 12 px in one lane stack up vertically
    stacks: dict[tuple[str, int], int] = defaultdict(int)
    placed = []
    for claim in sorted(claims, key=lambda c: (c["claim_date"], c["claim_id"])):
        start, end = spans[claim["claim_id"]]
        cx = (x(start) + x(end)) / 2
        key = (claim["claim_type"], round(cx / 12))
        placed.append((claim, start, end, cx, key, stacks[key]))
        stacks[key] += 1
    lane_height = max(34, 12 * max(stacks.values()) + 16)
    height = top + lane_height * len(lanes) + 30
    parts = []
    for i, lane in enumerate(lanes):
        y = top + i * lane_height
        parts.append(f'<rect x="{left}" y="{y}" width="{width - left - right}" height="{lane_height}" '
                     f'fill="{"#f8fafc" if i % 2 else "#fff"}"/>'
                     f'<text x="{left - 10}" y="{y + lane_height / 2 + 4}" text-anchor="end" class="lane">{esc(lane)}</text>')
    for tick in _month_ticks(first, last):
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top}" y2="{height - 26}" class="grid"/>'
                     f'<text x="{tx:.1f}" y="{height - 10}" text-anchor="middle" class="tick">{tick.strftime("%b %Y")}</text>')
    for claim, start, end, cx, key, level in placed:
        lane_y = top + lanes.index(claim["claim_type"]) * lane_height
        cy = lane_y + lane_height / 2 + (level - (stacks[key] - 1) / 2) * 12
        colour = CERTAINTY_COLOURS.get(claim["certainty"], "#6b7280")
        bar = ""
        if claim["date_precision"] != "day":
            bar = (f'<rect x="{x(start):.1f}" y="{cy - 4:.1f}" width="{max(x(end) - x(start), 2):.1f}" height="8" '
                   f'rx="4" fill="{colour}" fill-opacity=".22"/>')
        title = (f"{claim['claim_date']} ({claim['date_precision']}, from {claim['date_basis']} date) · "
                 f"{claim['claim_type']} · {claim['certainty']} · {', '.join(claim['system_names']) or 'no system'}"
                 f" @ {', '.join(claim['site_names']) or 'no site'} · {claim['source_name']}")
        parts.append(f'<a href="#{anchor_id("claim", claim["claim_id"])}">{bar}<circle cx="{cx:.1f}" cy="{cy:.1f}" '
                     f'r="5.5" fill="{colour}" stroke="#fff" stroke-width="1.5"><title>{esc(title)}</title></circle></a>')
    style = ("<style>.grid{stroke:#e5e7eb}.tick{fill:#6b7280;font-size:11px}.lane{fill:#374151;font-size:12px;"
             "font-weight:500}</style>")
    return (f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Timeline of dated claims">'
            f'{style}{"".join(parts)}</svg>')


def _certainty_badge(certainty: str | None) -> str:
    colour = CERTAINTY_COLOURS.get(certainty or "", "#6b7280")
    return f'<span class="badge" style="background:{colour}">{esc(certainty)}</span>'


def timeline_section(claims: list[dict]) -> str:
    dated = [c for c in claims if c["claim_date"] is not None]
    legend = '<div class="legend">' + "".join(
        f'<span><i style="background:{CERTAINTY_COLOURS[c]}"></i>{esc(c)}</span>' for c in CERTAINTY_ORDER
    ) + "<span>bars: week, month or year precision</span></div>"
    if not dated:
        content = '<p class="empty">No claim has a date yet.</p>'
    else:
        rows = [
            row_html([
                esc(c["claim_date"]) + f' <span class="note">({esc(c["date_precision"])})</span>',
                esc(c["claim_type"]), _certainty_badge(c["certainty"]), esc(", ".join(c["system_names"])),
                esc(", ".join(c["site_names"])), esc(c["claimant"]), esc(c["source_name"]),
                f'<span class="refs"><a href="#{anchor_id("claim", c["claim_id"])}">sentence</a></span>',
            ])
            for c in sorted(dated, key=lambda c: (c["claim_date"], c["source_name"], c["char_start"]))
        ]
        content = (timeline_svg(dated) + legend + '<h3 style="margin-top:16px">Dated claims</h3>'
                   + table_html(["date", "type", "certainty", "systems", "sites", "claimant", "article", ""], rows))
    undated = len(claims) - len(dated)
    note = (f"{len(dated)} of {len(claims)} claims are dated (by the event's date, else the article's publication date)"
            + (f"; {undated} have no resolvable date and appear only under Provenance." if undated else "."))
    return f'<section class="card" id="timeline"><h2>Timeline of claims</h2><p class="sub">{note}</p>{content}</section>'


# --- deployments and provenance -------------------------------------------------------------------


def deployment_section(data: ReportData) -> str:
    if not data.deployments:
        return ('<section class="card" id="deployments"><h2>Deployments</h2>'
                '<p class="empty">No deployment claims yet.</p></section>')
    rank = {c: i for i, c in enumerate(CERTAINTY_ORDER)}
    rows = []
    for d in data.deployments:
        claim_ids = data.claims_by_pair.get((d["system_id"], d["site_id"]), [])
        refs = "".join(f'<a href="#{anchor_id("claim", cid)}" title="sentence {i}">{i}</a>'
                       for i, cid in enumerate(claim_ids, 1))
        single = '<span class="single-source">single source</span>' if d["is_single_source"] else ""
        rows.append(row_html(
            [esc(d["system_name"]), esc(d["site_name"]),
             (_certainty_badge(d["best_certainty"]), rank.get(d["best_certainty"], len(rank))),
             str(d["n_claims"]), str(d["n_articles"]), str(d["n_publishers"]),
             (f'{d["n_original_sources"]}{single}', d["n_original_sources"]),
             f'<span class="note">{esc(", ".join(d["original_sources"] or []))}</span>',
             esc(d["first_seen"] or "–"), esc(d["last_seen"] or "–"), f'<span class="refs">{refs}</span>'],
            {"id": anchor_id("dep", d["system_id"], d["site_id"]), "data-site": d["site_id"]},
            numeric={3, 4, 5, 6},
        ))
    table = table_html(
        ["system", "site", "best certainty", "claims", "articles", "publishers", "independent sources",
         "sources", "first seen", "last seen", "sentences"],
        rows, table_id="deployment-table", numeric={3, 4, 5, 6},
    )
    return (
        '<section class="card" id="deployments"><h2>Deployments</h2><p class="sub">One row per system and site. '
        "Independent sources count each cited original once: an outlet relaying another is not a second source, "
        "and the same sentence carried by several articles is one source. Click a header to sort.</p>"
        '<div class="toolbar"><label for="site-filter">Site</label><select id="site-filter">'
        '<option value="">all sites</option></select></div><div class="scroll">' + table + "</div></section>"
    )


def _marked_sentence(claim: dict, marks: list[tuple[int, int, str]]) -> str:
    """The claim's sentence, escaped, with the system and site names inside it wrapped in <mark>."""
    start, text = claim["char_start"], claim["sentence"] or ""
    out, pos = [], 0
    for m_start, m_end, kind in marks:
        s, e = m_start - start, m_end - start
        if s < pos or e > len(text):
            continue
        css = "m-system" if kind == "system" else "m-site"
        out += [esc(text[pos:s]), f'<mark class="{css}">{esc(text[s:e])}</mark>']
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def provenance_section(data: ReportData) -> str:
    pairs_by_claim: dict[str, list[tuple[str, str]]] = defaultdict(list)
    names = {(d["system_id"], d["site_id"]): f'{d["system_name"]} @ {d["site_name"]}' for d in data.deployments}
    for pair, claim_ids in data.claims_by_pair.items():
        for claim_id in claim_ids:
            pairs_by_claim[claim_id].append(pair)
    by_article: dict[str, list[dict]] = defaultdict(list)
    for claim in data.claims:
        by_article[claim["article_id"]].append(claim)
    blocks = []
    for article_id, claims in by_article.items():
        article = data.articles.get(article_id, {})
        facts = " · ".join(esc(v) for v in (article.get("publisher"), article.get("published_date"), article.get("url")) if v)
        blocks.append(f'<div class="article"><h3>{esc(article.get("source_name"))}'
                      f'{" — " + esc(article["title"]) if article.get("title") else ""}</h3>'
                      f'<p class="note" style="margin:0">{facts or "no publisher or date in the article"}</p>')
        for c in claims:
            meta = [_certainty_badge(c["certainty"]), esc(c["claim_type"]),
                    f'chars <code>{c["char_start"]}–{c["char_end"]}</code>']
            if c["claimant"]:
                meta.append("claimant: " + esc(c["claimant"]))
            if c["source"]:
                meta.append("source: " + esc(c["source"]))
            if c["claim_date"]:
                meta.append(f'date: {esc(c["claim_date"])} ({esc(c["date_precision"])})')
            back = "".join(f'<a href="#{anchor_id("dep", *pair)}">↑ {esc(names.get(pair, "deployment"))}</a>'
                           for pair in pairs_by_claim.get(c["claim_id"], []))
            blocks.append(
                f'<div class="claim" id="{anchor_id("claim", c["claim_id"])}"><div class="meta">{" · ".join(meta)}</div>'
                f'<blockquote>{_marked_sentence(c, data.marks.get(article_id, []))}</blockquote>'
                + (f'<div class="back">{back}</div>' if back else "") + "</div>"
            )
        blocks.append("</div>")
    content = "".join(blocks) if blocks else '<p class="empty">No claims yet.</p>'
    legend = ('<div class="legend" style="margin:0 0 6px"><span><mark class="m-system">system</mark></span>'
              '<span><mark class="m-site">site</mark></span><span>offsets are 0-based character indices into '
              "v_articles.text</span></div>")
    return (f'<section class="card" id="provenance"><h2>Provenance</h2><p class="sub">Every claim with its '
            f"article, offsets and sentence.</p>{legend}{content}</section>")
