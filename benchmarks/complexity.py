"""Complexity pipeline vs the two peer packages, side by side in one run (issue #4 figures).

    PYTHONPATH=src python benchmarks/complexity.py --peers oec --years 10 --rounds 3
    options: --exporters 225 --products 5000 --years 10 --workdir /tmp/scobank-bench-complexity
             --peers-venv /tmp/peers-venv (created, or repaired, with pip when a peer is missing)
             --peers oec,ecomplexity --rounds N --reuse-ecomplexity

Every job runs in its own fresh subprocess under /usr/bin/time -v (peak RSS) and is timed the same way:
inside the job, after its imports and after the input file is read into memory (interpreter start,
imports and the read are excluded for ours and the peers alike; nothing is warmed up beforehand).
With --rounds N the one-year jobs (ours in both conventions and the peers) run N times in a rotating
order, so each takes the first slot of a round once; medians are reported, and the ratio per round.
- ours: everything `scobank analytics complexity` does after reading its input: `iter_year_matrices`
  (pivot, duplicates summed) and, through `write_complexity`, `complexity_year` (RCA, M, diversity,
  ubiquity, ECI, PCI, density, COI, COG), proximity (the edge list of the ~12M pairs with phi > 0) and
  the four Parquet files written. The numbers compared below are read back from those files.
- ecomplexity 0.5.3: `ecomplexity(df, ...)` (its full output: rca, mcp, eci, pci, density, coi, cog;
  the optional log-supermodularity check is switched off so it does not pay for extra work).
- economic-complexity 0.3.0 (OEC): pivot + `rca` + `complexity` + `proximity` + `relatedness` +
  `opportunity_gain`, in memory (no file written).
- ours_in_memory_1y: the same measures and proximity pairs built in memory on one thread, no file
  written (OEC's kind of job; ecomplexity convention).
- ours_cli_1y: the whole command end to end (interpreter start, imports, read and checks, compute, write).
Seconds are wall time; cpu_seconds (all threads) is reported too because the team machine is shared,
and the load average before and after the run.
Numbers: ours (ecomplexity convention) vs ecomplexity, max |difference| of eci, pci, coi, rca, density,
cog must be <= 1e-9; ours (standardised) vs OEC: Spearman rank correlation of ECI and PCI.
Input: `trade_panels.world_panel` (BACI-like, seeded; see its docstring).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = ["ecomplexity==0.5.3", "economic-complexity==0.3.0", "pandas<3", "pyarrow"]  # pandas 3 breaks OEC (read-only views)
COLS = {"time": "year", "loc": "exporter", "prod": "product", "val": "value"}


# ---- jobs (run in a subprocess; peers' jobs import only pandas and the peer) -------------------------

def job_ours(src: Path, out: Path, convention: str) -> dict:
    import pyarrow.parquet as pq

    from scobank.analytics.complexity_tables import write_complexity
    from scobank.analytics.panel import iter_year_matrices, read_panel

    table = read_panel(src)  # read + checked, untimed like the peers' read_parquet
    shutil.rmtree(out, ignore_errors=True)  # a first run into a new folder (not replacing an earlier run's files)
    wall, cpu = time.perf_counter(), time.process_time()
    write_complexity(iter_year_matrices(table), out_dir=out, convention=convention,  # type: ignore[arg-type]
                     rca_cutoff=1.0)
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    rows = {name: pq.read_metadata(out / f"{name}.parquet").num_rows for name in ("country_product", "proximity")}
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_out": rows}


def job_ours_in_memory(src: Path, out: Path, convention: str) -> dict:
    """OEC's kind of job: every measure and the proximity pairs built in memory, no file written, one
    thread (the proximity pieces are built as Arrow tables and dropped, as the command would write them)."""
    from scobank.analytics.complexity import complexity_of, year_presence
    from scobank.analytics.complexity_tables import (country_product_table, country_table, product_table,
                                                      proximity_tables)
    from scobank.analytics.panel import iter_year_matrices, read_panel

    table = read_panel(src)
    wall, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for matrix in iter_year_matrices(table):
        presence = year_presence(matrix)
        result = complexity_of(presence, convention=convention)  # type: ignore[arg-type]
        rows += sum(build(result).num_rows for build in (country_product_table, country_table, product_table))
        rows += sum(piece.num_rows for piece in proximity_tables(presence))
    return {"seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu, "rows_out": rows}


def our_numbers(out: Path) -> pd.DataFrame:  # noqa: F821
    """The first year's measures per exporter x product, read back from the files the job wrote."""
    import pyarrow.parquet as pq

    first = pq.read_table(out / "country.parquet", columns=["year"])["year"][0].as_py()
    read = {name: pq.read_table(out / f"{name}.parquet", filters=[("year", "=", first)]).to_pandas()
            for name in ("country_product", "country", "product")}
    cp = read["country_product"].astype({"exporter": str, "product": str})
    return (cp.merge(read["country"][["exporter", "eci", "coi"]], on="exporter")
            .merge(read["product"][["product", "pci"]], on="product"))


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
    """The peers' interpreter: (re)created with pip when the venv or a peer package is missing."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import ecomplexity, economic_complexity, pandas, pyarrow"],
                           capture_output=True)
    if probe.returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS], check=True)
    return str(python)


def compare(ours: Path, ecx: Path | None, ours_std: Path, oec: Path | None) -> dict:
    import pandas as pd

    out = {}
    if ecx is not None:
        a, b = our_numbers(ours), pd.read_parquet(ecx)
        m = a.merge(b, on=["exporter", "product"], suffixes=("", "_peer"))
        assert len(m) == len(a) == len(b), (len(a), len(b), len(m))
        out["max_abs_diff_vs_ecomplexity"] = {c: float((m[c] - m[c + "_peer"]).abs().max())
                                              for c in ("eci", "pci", "coi", "rca", "density", "cog")}
    if oec is not None:
        s = our_numbers(ours_std)
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
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the one-year jobs (ours in both conventions, the peers) this many times, "
                         "in a rotating order; medians are reported")
    ap.add_argument("--reuse-ecomplexity", action="store_true",
                    help="compare with the ecomplexity output an earlier run left in --workdir (same seeded file) "
                         "instead of running the package again (15-35 min here)")
    args = ap.parse_args()
    if args.job:
        jobs = {"ours": lambda: job_ours(args.src, args.out, args.convention),
                "ours_in_memory": lambda: job_ours_in_memory(args.src, args.out, args.convention),
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
    del panel
    print(f"panel: {args.exporters} exporters x {args.products} products; 1 year = {pq.read_metadata(one).num_rows:,} "
          f"rows, {args.years} years = {pq.read_metadata(ten).num_rows:,} rows", flush=True)
    peers = [p for p in args.peers.split(",") if p]
    peer = ensure_peers(args.peers_venv) if peers else ""
    ecx, oec = w / "ecx.parquet", w / "oec.parquet"
    one_year = {"ours_1y": (sys.executable, "ours", w / "ours", []),
                "ours_std_1y": (sys.executable, "ours", w / "ours_std", ["--convention", "standardised"]),
                "ours_in_memory_1y": (sys.executable, "ours_in_memory", w / "unused", [])}
    if "oec" in peers:
        one_year["oec_1y"] = (peer, "oec", oec, [])
    if "ecomplexity" in peers:
        one_year["ecomplexity_1y"] = (peer, "ecomplexity", ecx, [])
    res: dict = {"load_before": load_average()}
    rounds: dict[str, list[dict]] = {k: [] for k in one_year}
    names = list(one_year)
    for r in range(args.rounds):
        for key in names[r % len(names):] + names[:r % len(names)]:  # each job takes the first slot in turn
            python, job, out, extra = one_year[key]
            rounds[key].append(run_job(python, job, one, out, extra))
            print(key, json.dumps(rounds[key][-1]), flush=True)
    for key, runs in rounds.items():
        res[key] = {**runs[0], **median_of(runs)}
    res[f"ours_{args.years}y"] = run_job(sys.executable, "ours", ten, w / "ours10")
    res["ours_cli_1y"] = run_cli(one, w / "cli-out")
    res["load_after"] = load_average()
    have_ecx = "ecomplexity" in peers or (args.reuse_ecomplexity and ecx.exists())
    res["numbers"] = compare(w / "ours", ecx if have_ecx else None, w / "ours_std",
                             oec if "oec" in peers else None)
    print(json.dumps(res, indent=2))
    timed = [res[k] for k in ("oec_1y", "ecomplexity_1y") if k in res]
    for ours in ("ours_1y", "ours_std_1y", "ours_in_memory_1y") if timed else ():
        for key in ("seconds", "cpu_seconds"):
            faster = min(t[key] for t in timed)
            print(f"{ours}: speed-up vs the faster peer ({key}, medians): {faster / res[ours][key]:.1f}x")
    for r in range(args.rounds if timed else 0):  # the ratio within one round
        faster = min(rounds[k][r]["seconds"] for k in ("oec_1y", "ecomplexity_1y") if k in rounds)
        print(f"round {r + 1}: {faster / rounds['ours_1y'][r]['seconds']:.1f}x (ecomplexity convention), "
              f"{faster / rounds['ours_std_1y'][r]['seconds']:.1f}x (standardised)")


def median_of(runs: list[dict]) -> dict:
    import statistics

    return {k: statistics.median(r[k] for r in runs) for k in ("seconds", "cpu_seconds", "peak_mb", "cpu_s")}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
