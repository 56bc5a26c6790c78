"""Loading reference data into the store, from SCOBANK_DATA_DIR or from installed packages.

Idempotent: each part (countries, parties, each HS revision, the SITC2 and ICIO industry names, each
concordance pair, rates) is loaded only when its rows are missing, so `scobank init` run again changes nothing and an administrator's
edits of the party history are kept.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.config import get_settings
from scobank.reference.classifications import load_classifications
from scobank.reference.countries import load_countries
from scobank.reference.hs import load_concordances, load_nomenclatures
from scobank.reference.parties import seed_parties
from scobank.reference.rates import load_rates


def load_reference(session: Session) -> str:
    """Load whatever reference data is missing; return a one-line summary."""
    data_dir = get_settings().resolved_data_dir
    parts = [load_countries(session, data_dir)]
    session.flush()
    seeded = seed_parties(session)
    parts.append(f"party history: {seeded} periods" if seeded else "party history: kept")
    parts.append(load_nomenclatures(session, data_dir))
    parts.append(load_classifications(session, data_dir))
    parts.append(load_concordances(session, data_dir))
    parts.append(load_rates(session, data_dir))
    session.flush()
    return "; ".join(parts)
