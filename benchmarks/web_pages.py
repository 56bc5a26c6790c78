"""Server time of each portal page on the demo bank: p50 and p95 over N requests, from the
`Server-Timing` header that the portal adds to every response (time inside the app, not the network).

    PYTHONPATH=src python benchmarks/web_pages.py              # builds a demo bank in a temp folder
    PYTHONPATH=src python benchmarks/web_pages.py --home var   # or measures an existing one
    options: -n 40 (requests per page), --only TEXT[,TEXT], --drop-cache (delete the analytics cache files
    that `scobank demo` wrote before starting the server: every analysis computed on first request)

Target (issue #7): p95 < 300 ms per page. The peer for the ratio is the JSON twin of the same page
(the API call that yields the same data), so the ratio is the cost of rendering HTML.
"first" is the page's first request in a fresh server process (pages in the order listed, so the home
page's first request also pays the app's own warm-up); p50/p95 are over the `n` requests after 3 more.
The analytics cache's own peer is the same run with it off: SCOBANK_ANALYTICS_CACHE_SIZE=0 in the
environment (passed to the server) computes every analysis on every request, as before the cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PAGES: list[tuple[str, str, str | None]] = [
    # (name, page path, its JSON twin or None)
    ("home", "/?lang=ru", "/api/v1/reference/parties"),
    ("catalog", "/datasets?lang=zh", "/api/v1/search"),
    ("catalog search", "/datasets?q=trade&lang=en", "/api/v1/search?q=trade"),
    ("dataset (BACI, 72k rows)", "/datasets/baci-hs17-2020-afg-zaf", "/api/v1/datasets/baci-hs17-2020-afg-zaf"),
    ("dataset (AGTPA, 100k rows)", "/datasets/agtpa-manufacturing-trade-1986-2006",
     "/api/v1/datasets/agtpa-manufacturing-trade-1986-2006"),
    ("members", "/members", "/api/v1/reference/parties"),
    ("member", "/members/KAZ", "/api/v1/search?party=KAZ"),
    ("exchange", "/exchange", "/api/v1/exchange/listings"),
    ("listing", "/exchange/listings/1", "/api/v1/exchange/listings/1"),
    ("login", "/login", None),
    ("member trade profile", "/members/KAZ/profile", "/api/v1/analytics/members/KAZ/profile"),
    ("substitution explorer", "/opportunities/substitution?member=KAZ",
     "/api/v1/analytics/substitution?importer=KAZ&level=4"),
    ("product space", "/members/KAZ/product-space", "/api/v1/analytics/complexity?limit=1"),
    ("joint opportunities", "/opportunities/joint?member=KAZ", "/api/v1/analytics/opportunities?member=KAZ"),
]
OK = {200, 422}  # the joint page answers 422 on the demo's BACI sample, saying why (two exporters only)


def _timings(client: httpx.Client, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        response = client.get(path)
        if response.status_code not in OK:
            response.raise_for_status()
        # `app;dur=12.3, admit;dur=0.1`: the app's time (admission's own wait is reported apart)
        metrics = dict(m.strip().split(";dur=", 1) for m in response.headers["server-timing"].split(","))
        out.append(float(metrics["app"]))
    return out


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path)
    parser.add_argument("-n", type=int, default=40)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", help="measure only pages whose name contains one of these comma-separated texts")
    parser.add_argument("--drop-cache", action="store_true", help="delete $home/cache/analytics first")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="scobank-bench-"))
    env = {**os.environ, "SCOBANK_HOME": str(home), "SCOBANK_DATABASE_URL": f"sqlite:///{home.resolve() / 'bank.db'}"}
    if args.home is None:
        subprocess.run([sys.executable, "-m", "scobank", "demo", "--no-serve"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    if args.drop_cache:
        shutil.rmtree(home / "cache" / "analytics", ignore_errors=True)
    server = subprocess.Popen([sys.executable, "-m", "scobank", "serve", "--port", str(args.port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # what `make demo` serves
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/api/v1/health")
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print("| page | first ms | p50 ms | p95 ms | JSON twin p95 ms | HTML/JSON |\n|---|---|---|---|---|---|")
            for name, path, twin in PAGES:
                if args.only and not any(text in name for text in args.only.split(",")):
                    continue
                first = _timings(client, path, 1)[0]
                _timings(client, path, 3)  # warm caches (templates, catalogs)
                page = _timings(client, path, args.n)
                twin_p95 = _p95(_timings(client, twin, args.n)) if twin else None
                ratio = f"{_p95(page) / twin_p95:.1f}x" if twin_p95 else "—"
                twin_text = f"{twin_p95:.1f}" if twin_p95 is not None else "—"
                print(f"| {name} `{path}` | {first:.1f} | {statistics.median(page):.1f} | {_p95(page):.1f} | {twin_text} | {ratio} |")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
