"""Complexity pipeline vs the two peer packages, side by side in one run (issue #4 figures).

    PYTHONPATH=src python benchmarks/complexity.py                    # 225 x 5,000, 1 and 10 years
    options: --exporters 225 --products 5000 --years 10 --workdir /tmp/scobank-bench-complexity
             --peers-venv /tmp/peers-venv (created with pip if missing) --peers oec,ecomplexity

What is timed (each job in its own subprocess under /usr/bin/time -v for peak memory; the seconds are
measured inside the job, after the input file is in memory, so interpreter start-up is excluded):
- ours: `iter_year_matrices` (pivot, duplicates summed) + `complexity_year` (RCA, M, diversity,
  ubiquity, ECI, PCI, proximity matrix, density, COI, COG) + the country_product, country and product
  Arrow tables — the same measures the peers compute. Building the proximity edge list (about 12M
  rows a year, which no peer produces) is a separate job (ours_with_edge_list), and the whole `scobank analytics
  complexity` command (read, compute, write the four Parquet files) is timed end to end.
Seconds are wall time; cpu_seconds (all threads) is reported too because the team machine is shared.
- ecomplexity 0.5.3: `ecomplexity(df, ...)` (its full output: rca, mcp, eci, pci, density, coi, cog;
  the optional log-supermodularity check is switched off so it does not pay for extra work).
- economic-complexity 0.3.0 (OEC): pivot + `rca` + `complexity` + `proximity` + `relatedness` +
  `opportunity_gain`.
Numbers: ours (ecomplexity convention) vs ecomplexity, max |difference| of eci, pci, coi, rca, density,
cog must be <= 1e-9; ours (standardised) vs OEC: Spearman rank correlation of ECI and PCI.
Input: `trade_panels.world_panel` (BACI-like, seeded; see its docstring).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = ["ecomplexity==0.5.3", "economic-complexity==0.3.0", "pandas<3", "pyarrow"]  # pandas 3 breaks OEC (read-only views)
COLS = {"time": "year", "loc": "exporter", "prod": "product", "val": "value"}


# ---- jobs (run in a subprocess; peers' jobs import only pandas and the peer) -------------------------

def job_ours(src: Path, out: Path, convention: str, edges: bool = False) -> dict:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scobank.analytics.complexity import complexity_year
    from scobank.analytics.complexity_tables import country_product_table, country_table, product_table, proximity_table
    from scobank.analytics.panel import iter_year_matrices

    table = pq.read_table(src)
    wall, cpu = time.perf_counter(), time.process_time()
    edges_wall = edges_cpu = 0.0
    rows, first = 0, None
    for matrix in iter_year_matrices(table):
        result = complexity_year(matrix, convention=convention)  # type: ignore[arg-type]
        rows += sum(build(result).num_rows for build in (country_product_table, country_table, product_table))
        if edges:  # the 12M-row edge list the peers do not produce: its own job, so peak memory compares
            w, c = time.perf_counter(), time.process_time()
            rows += proximity_table(result).num_rows
            edges_wall, edges_cpu = edges_wall + time.perf_counter() - w, edges_cpu + time.process_time() - c
        first = first or result
    seconds, cpu_seconds = time.perf_counter() - wall - edges_wall, time.process_time() - cpu - edges_cpu
    n_c, n_p = first.value.shape
    pq.write_table(pa.table({
        "exporter": np.repeat(first.exporters, n_p).astype(str), "product": np.tile(first.products, n_c).astype(str),
        "eci": np.repeat(first.eci, n_p), "pci": np.tile(first.pci, n_c), "coi": np.repeat(first.coi, n_p),
        "rca": first.rca.ravel(), "density": first.space.density.ravel(), "cog": first.cog.ravel()}), out)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "edge_list_seconds": edges_wall,
            "edge_list_cpu_seconds": edges_cpu, "rows_out": rows}


def job_ecomplexity(src: Path, out: Path) -> dict:
    import warnings

    import pandas as pd
    from ecomplexity import ecomplexity

    warnings.simplefilter("ignore")
    df = pd.read_parquet(src)
    start, cpu = time.perf_counter(), time.process_time()
    res = ecomplexity(df, COLS, check_logsupermodularity=False, verbose=False)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    res[["exporter", "product", "eci", "pci", "coi", "rca", "density", "cog"]].to_parquet(out)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_out": len(res)}


def job_oec(src: Path, out: Path) -> dict:
    import pandas as pd
    from economic_complexity import complexity, opportunity_gain, proximity, rca, relatedness

    df = pd.read_parquet(src)
    start, cpu = time.perf_counter(), time.process_time()
    pivot = df.pivot_table(index="exporter", columns="product", values="value", aggfunc="sum", fill_value=0)
    rcas = rca(pivot)
    eci, pci = complexity(rcas)
    prox = proximity(rcas)
    dens = relatedness(rcas, proximities=prox)
    gain = opportunity_gain(rcas, proximities=prox, pci=pci)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    pd.DataFrame({"exporter": eci.index.astype(str), "eci": eci.values}).to_parquet(out)
    pd.DataFrame({"product": pci.index.astype(str), "pci": pci.values}).to_parquet(str(out) + ".pci")
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_out": int(dens.size + gain.size)}


# ---- driver -----------------------------------------------------------------------------------------

def run_cli(src: Path, out: Path) -> dict:
    """`scobank analytics complexity` end to end (read, compute, write the four files)."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "scobank", "analytics", "complexity", str(src), "--out", str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"cli failed:\n{proc.stderr[-3000:]}")
    return {"seconds": time.perf_counter() - start,
            "peak_mb": int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1]) / 1024}


def run_job(python: str, name: str, src: Path, out: Path, extra: list[str] | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    cmd = ["/usr/bin/time", "-v", python, str(Path(__file__).resolve()), "--job", name, "--src", str(src),
           "--out", str(out), *(extra or [])]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"job {name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["peak_mb"] = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1]) / 1024
    result["cpu_s"] = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", proc.stderr)[1]) for k in ("User", "System"))
    return result


def ensure_peers(venv: Path) -> str:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS], check=True)
    return str(python)


def compare(ours: Path, ecx: Path | None, ours_std: Path, oec: Path | None) -> dict:
    import pandas as pd

    out = {}
    if ecx is not None:
        a, b = pd.read_parquet(ours), pd.read_parquet(ecx)
        m = a.merge(b, on=["exporter", "product"], suffixes=("", "_peer"))
        assert len(m) == len(a) == len(b), (len(a), len(b), len(m))
        out["max_abs_diff_vs_ecomplexity"] = {c: float((m[c] - m[c + "_peer"]).abs().max())
                                              for c in ("eci", "pci", "coi", "rca", "density", "cog")}
    if oec is not None:
        s = pd.read_parquet(ours_std)
        eci = s.groupby("exporter").eci.first().to_frame().join(pd.read_parquet(oec).set_index("exporter"), rsuffix="_oec")
        pci = s.groupby("product").pci.first().to_frame().join(pd.read_parquet(str(oec) + ".pci").set_index("product"), rsuffix="_oec")
        out["spearman_vs_oec"] = {"eci": float(eci.eci.corr(eci.eci_oec, method="spearman")),
                                  "pci": float(pci.pci.corr(pci.pci_oec, method="spearman"))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--job")
    ap.add_argument("--src", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--convention", default="ecomplexity")
    ap.add_argument("--exporters", type=int, default=225)
    ap.add_argument("--products", type=int, default=5000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/scobank-bench-complexity"))
    ap.add_argument("--peers-venv", type=Path, default=Path("/tmp/peers-venv"))
    ap.add_argument("--peers", default="oec,ecomplexity", help="which peers to run ('' for none)")
    args = ap.parse_args()
    if args.job:
        jobs = {"ours": lambda: job_ours(args.src, args.out, args.convention),
                "ours_edges": lambda: job_ours(args.src, args.out, args.convention, edges=True),
                "ecomplexity": lambda: job_ecomplexity(args.src, args.out), "oec": lambda: job_oec(args.src, args.out)}
        print(json.dumps(jobs[args.job]()))
        return
    sys.path.insert(0, str(HERE))
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from trade_panels import world_panel

    w = args.workdir
    w.mkdir(parents=True, exist_ok=True)
    one, ten = w / "world_1y.parquet", w / f"world_{args.years}y.parquet"
    panel = world_panel(exporters=args.exporters, products=args.products, years=args.years)
    pq.write_table(panel.filter(pc.equal(panel["year"], panel["year"][0])), one)
    pq.write_table(panel, ten)
    print(f"panel: {args.exporters} exporters x {args.products} products; 1 year = {pq.read_metadata(one).num_rows:,} "
          f"rows, {args.years} years = {panel.num_rows:,} rows")
    res = {"ours_1y": run_job(sys.executable, "ours", one, w / "ours.parquet"),
           "ours_std_1y": run_job(sys.executable, "ours", one, w / "ours_std.parquet", ["--convention", "standardised"]),
           "ours_with_edge_list_1y": run_job(sys.executable, "ours_edges", one, w / "ours_e.parquet"),
           f"ours_{args.years}y": run_job(sys.executable, "ours", ten, w / "ours10.parquet"),
           "ours_cli_1y": run_cli(one, w / "cli-out")}
    ecx = oec = None
    peers = [p for p in args.peers.split(",") if p]
    if peers:
        peer = ensure_peers(args.peers_venv)
    if "oec" in peers:
        res["oec_1y"] = run_job(peer, "oec", one, oec := w / "oec.parquet")
    if "ecomplexity" in peers:
        res["ecomplexity_1y"] = run_job(peer, "ecomplexity", one, ecx := w / "ecx.parquet")
    res["numbers"] = compare(w / "ours.parquet", ecx, w / "ours_std.parquet", oec)
    print(json.dumps(res, indent=2))
    timed = [res[k] for k in ("oec_1y", "ecomplexity_1y") if k in res]
    if timed:
        for key in ("seconds", "cpu_seconds"):
            faster = min(t[key] for t in timed)
            print(f"speed-up vs the faster peer ({key}): {faster / res['ours_1y'][key]:.1f}x")


if __name__ == "__main__":
    main()
