"""A real Spark standalone cluster on loopback for the tests and benchmarks: one master and two workers,
each a JVM started with the `spark-class` launcher shipped in the pyspark package, each in its own
process group so stopping it also stops the executors it launched. The test session starts one
(`standalone_master` in tests/conftest.py); a module points the bank's Spark engine at it with
`on_cluster` and leaves it for the local session after."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spark_env() -> dict[str, str]:
    import pyspark

    home = Path(pyspark.__file__).parent
    return {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_NO_DAEMONIZE": "1", "SPARK_DAEMON_MEMORY": "256m"}


def _launch(env: dict, log: Path, *args: str) -> subprocess.Popen:
    launcher = Path(env["SPARK_HOME"]) / "bin" / "spark-class"
    with open(log, "wb") as out:
        return subprocess.Popen([str(launcher), *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _alive_workers(ui_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=2) as reply:
            return int(json.load(reply).get("aliveworkers", 0))
    except OSError:
        return 0


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def standalone_cluster(log_dir: Path, *, workers: int = 2, memory: str = "1g", wait_seconds: float = 180):
    """Yield the master URL `spark://127.0.0.1:PORT` once `workers` workers (one core and `memory` for
    executors each) registered; stop all after."""
    env, port, ui_port = _spark_env(), _free_port(), _free_port()
    master = f"spark://127.0.0.1:{port}"
    processes = [_launch(env, log_dir / "master.log", "org.apache.spark.deploy.master.Master",
                         "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui_port))]
    try:
        for n in range(workers):
            processes.append(_launch(env, log_dir / f"worker{n}.log", "org.apache.spark.deploy.worker.Worker",
                                     master, "--host", "127.0.0.1", "--webui-port", "0",
                                     "--work-dir", str(log_dir / f"work{n}"),  # not SPARK_HOME/work in the venv
                                     "--cores", "1", "--memory", memory))
        deadline = time.monotonic() + wait_seconds
        while _alive_workers(ui_port) < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                logs = {p.name: p.read_text()[-2000:] for p in log_dir.glob("*.log")}
                raise RuntimeError(f"the Spark cluster did not come up with {workers} workers: {logs}")
            time.sleep(1)
        yield master
    finally:
        _stop(processes)


@contextmanager
def on_cluster(master: str, *, executor_memory: str = "512m"):
    """The bank's Spark engine (SCOBANK_SPARK_MASTER) on `master` with one core per executor: yield the
    driver's session; after, the session is stopped (its executors end) and the settings restored, so the
    next use of the Spark engine starts a local session again."""
    from scobank.config import reset_settings
    from scobank.lake.engines.spark import spark_session

    names = ("SCOBANK_SPARK_MASTER", "SCOBANK_SPARK_EXECUTOR_MEMORY", "SCOBANK_SPARK_EXECUTOR_CORES")
    saved = {k: os.environ.get(k) for k in names}
    os.environ.update(SCOBANK_SPARK_MASTER=master, SCOBANK_SPARK_EXECUTOR_MEMORY=executor_memory,
                      SCOBANK_SPARK_EXECUTOR_CORES="1")
    reset_settings()
    try:
        yield spark_session()
    finally:
        spark_session().stop()
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        reset_settings()
