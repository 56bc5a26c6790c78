"""Write the next migration of one area from the difference between its models and the schema.

    python -m scobank.migrations.make AREA "what changed"

Each area is a branch of revisions labelled with its name, in files `<area>_NNNN_<slug>.py`. The new
revision only covers the area's own tables; an area's first revision depends on the other branches'
heads, so tables it refers to exist first. Review the file it writes before committing.
"""

from __future__ import annotations

import importlib
import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from scobank.db import Base, load_models, migrate

HERE = Path(__file__).parent


def area_tables(area: str) -> set[str]:
    load_models()
    module = f"scobank.{area}.models"
    importlib.import_module(module)
    return {m.class_.__table__.name for m in Base.registry.mappers
            if m.class_.__module__.startswith(f"scobank.{area}.")}


def _area_head(script: ScriptDirectory, area: str):
    """The newest revision of the area's branch, even when another branch depends on it (so it is no
    longer a head of the whole tree); None when the area has no revision yet."""
    try:
        return script.get_revision(f"{area}@head")
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown branch
        return None


def make(area: str, message: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/schema.db"
        migrate(url)
        cfg = Config()
        cfg.set_main_option("script_location", str(HERE))
        cfg.set_main_option("sqlalchemy.url", url)
        cfg.attributes["only_tables"] = area_tables(area)
        script = ScriptDirectory.from_config(cfg)
        own = _area_head(script, area)
        existing = sorted(HERE.glob(f"versions/{area}_*.py"))
        number = len(existing) + 1
        rev_id = f"{area}_{number:04d}"
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
        if own is not None:
            head, branch_label, depends = own.revision, None, None
        else:
            head, branch_label = "base", area
            depends = [r.revision for r in script.get_revisions("heads")] or None
        rev = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id, head=head,
                               branch_label=branch_label, depends_on=depends)
        path = Path(rev.path)
        target = path.with_name(f"{rev_id}_{slug}.py")
        path.rename(target)
        return target


if __name__ == "__main__":
    print(make(sys.argv[1], sys.argv[2]))
