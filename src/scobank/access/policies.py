"""Dataset policies: machine-readable, ODRL-inspired JSON, versioned, one per dataset or party default.

A policy document:

    {"audience": "public" | "members" | "parties" | "orgs" | "owner",
     "parties": ["KAZ", "RUS"],          # audience "parties": these parties' users
     "orgs": ["kz-stat"],                 # audience "orgs": these organisations' users (slugs)
     "purposes": ["statistics", ...],     # null: any purpose; else the request must state one of these
     "aggregates_only_k": 10,             # null: full rows; else aggregates with at least k per cell
     "export": true,                      # false: query yes, bulk export no
     "embargo_until": "2027-01-01",       # no data (metadata only) before this date
     "expires": "2030-12-31",             # no data for non-owners after this date
     "listed": true}                      # others (logged in, outside the audience) see its title,
                                          # publisher and description, no data, and may ask for access

The owners (the publishing organisation, its party's steward, platform administrators) are never
restricted by their own policy. A dataset without a policy follows its party's default; a party without
a default follows BUILTIN_DEFAULT (members may use it). Every change adds a PolicyVersion row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scobank.access.models import Policy, PolicyAudience, PolicyVersion
from scobank.access.reader import DatasetRef
from scobank.db import utcnow
from scobank.errors import BadRequest

AUDIENCES = ("public", "members", "parties", "orgs", "owner")
PURPOSES = ("statistics", "matching", "research", "commercial")
BUILTIN_DEFAULT: dict = {"audience": "members", "parties": [], "orgs": [], "purposes": None,
                         "aggregates_only_k": None, "export": True, "embargo_until": None, "expires": None,
                         "listed": False}


@dataclass(frozen=True)
class EffectivePolicy:
    """The policy that applies to one dataset, and where it comes from (dataset | party | builtin)."""

    document: dict
    source: str
    version: int
    policy_id: int | None

    @property
    def audience(self) -> str:
        return self.document["audience"]


def _date(value, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadRequest(f"{what} must be a date YYYY-MM-DD; got {value!r}") from None


def normalise(document: dict, *, org_ids: Mapping[str, int]) -> dict:
    """A checked, complete policy document. `org_ids` maps the organisation slugs the document names
    to their ids (the caller asks the catalog). Raises BadRequest naming the wrong field."""
    unknown = set(document) - set(BUILTIN_DEFAULT) - {"@context", "@type", "profile"}
    if unknown:
        raise BadRequest(f"unknown policy field(s): {', '.join(sorted(unknown))}")
    doc = {**BUILTIN_DEFAULT, **{k: v for k, v in document.items() if k in BUILTIN_DEFAULT}}
    if doc["audience"] not in AUDIENCES:
        raise BadRequest(f"audience must be one of {', '.join(AUDIENCES)}; got {doc['audience']!r}")
    doc["parties"] = sorted({str(p).strip().upper() for p in doc["parties"] or [] if str(p).strip()})
    doc["orgs"] = sorted({str(o).strip() for o in doc["orgs"] or [] if str(o).strip()})
    if doc["audience"] == "parties" and not doc["parties"]:
        raise BadRequest("audience 'parties' needs at least one party, e.g. parties:KAZ,RUS")
    if doc["audience"] == "orgs" and not doc["orgs"]:
        raise BadRequest("audience 'orgs' needs at least one organisation slug")
    for slug in doc["orgs"]:
        if slug not in org_ids:
            raise BadRequest(f"no organisation {slug!r} (in the policy's orgs)")
    if doc["purposes"] is not None:
        purposes = sorted({str(p).strip().lower() for p in doc["purposes"] if str(p).strip()})
        bad = [p for p in purposes if p not in PURPOSES]
        if bad or not purposes:
            raise BadRequest(f"purposes must be among {', '.join(PURPOSES)}; got {', '.join(bad) or 'none'}")
        doc["purposes"] = purposes
    k = doc["aggregates_only_k"]
    if k is not None and (not isinstance(k, int) or isinstance(k, bool) or k < 2):
        raise BadRequest(f"aggregates_only_k must be a whole number of at least 2; got {k!r}")
    if not isinstance(doc["export"], bool):
        raise BadRequest("export must be true or false")
    if not isinstance(doc["listed"], bool):
        raise BadRequest("listed must be true or false")
    doc["embargo_until"] = _date(doc["embargo_until"], "embargo_until")
    doc["expires"] = _date(doc["expires"], "expires")
    return doc


def parse_audience(text: str) -> dict:
    """`public|members|owner|parties:KAZ,RUS|orgs:a,b` -> the audience part of a document."""
    kind, _, rest = text.partition(":")
    values = [v for v in rest.split(",") if v.strip()]
    if kind == "parties":
        return {"audience": "parties", "parties": values, "orgs": []}
    if kind == "orgs":
        return {"audience": "orgs", "parties": [], "orgs": values}
    if rest:
        raise BadRequest(f"audience {kind!r} takes no list; use parties:ISO3,... or orgs:slug,...")
    return {"audience": kind, "parties": [], "orgs": []}


def _scope_row(session: Session, *, dataset_id: int | None, party: str | None) -> Policy | None:
    if dataset_id is not None:
        return session.scalars(select(Policy).where(Policy.dataset_id == dataset_id)).first()
    return session.scalars(select(Policy).where(Policy.party == party)).first()


def _check_parties(session: Session, document: dict) -> None:
    """Every party a policy names is a country the bank knows (ISO3): `parties:XXX` is a mistake."""
    from scobank.reference.lookup import country_names

    unknown = sorted(set(document["parties"]) - set(country_names(session, document["parties"])))
    if unknown:
        raise BadRequest(f"unknown part{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)} in the policy's "
                         "parties; use ISO 3166 alpha-3 codes such as KAZ, RUS, CHN")


def _store(session: Session, *, dataset_id: int | None, party: str | None, document: dict,
           actor: str | None, org_ids: Mapping[str, int]) -> Policy:
    _check_parties(session, document)
    scope = f"dataset:{dataset_id}" if dataset_id is not None else f"party:{party}"
    row = _scope_row(session, dataset_id=dataset_id, party=party)
    number = (session.scalar(select(func.max(PolicyVersion.number)).where(PolicyVersion.scope == scope)) or 0) + 1
    if row is None:
        row = Policy(dataset_id=dataset_id, party=party)
        session.add(row)
    row.audience, row.document, row.version = document["audience"], document, number
    row.listed = bool(document.get("listed"))
    row.updated_by, row.updated_at = actor, utcnow()
    session.flush()
    session.execute(delete(PolicyAudience).where(PolicyAudience.policy_id == row.id))
    session.add_all([PolicyAudience(policy_id=row.id, kind="party", value=p) for p in document["parties"]]
                    + [PolicyAudience(policy_id=row.id, kind="org", value=str(org_ids[s])) for s in document["orgs"]])
    session.add(PolicyVersion(scope=scope, number=number, document=document, created_by=actor))
    session.flush()
    return row


def set_dataset_policy(session: Session, *, dataset: DatasetRef, document: dict, actor: str | None,
                       org_ids: Mapping[str, int] | None = None) -> Policy:
    """Replace `dataset`'s policy (a new version). The caller has checked Action.ADMIN; `org_ids` maps
    the organisation slugs the document names to their ids."""
    org_ids = org_ids or {}
    return _store(session, dataset_id=dataset.id, party=None, document=normalise(document, org_ids=org_ids),
                  actor=actor, org_ids=org_ids)


def set_party_default(session: Session, *, party: str, document: dict, actor: str | None,
                      org_ids: Mapping[str, int] | None = None) -> Policy:
    """Replace party `party`'s default policy (applies to its datasets that have none of their own)."""
    org_ids = org_ids or {}
    return _store(session, dataset_id=None, party=party.upper(), document=normalise(document, org_ids=org_ids),
                  actor=actor, org_ids=org_ids)


def clear_dataset_policy(session: Session, *, dataset: DatasetRef, actor: str | None) -> None:
    """Drop a dataset's own policy (it follows its party's default again); logged as a version."""
    row = _scope_row(session, dataset_id=dataset.id, party=None)
    if row is None:
        return
    scope = f"dataset:{dataset.id}"
    number = (session.scalar(select(func.max(PolicyVersion.number)).where(PolicyVersion.scope == scope)) or 0) + 1
    session.add(PolicyVersion(scope=scope, number=number, document={"cleared": True}, created_by=actor))
    session.delete(row)
    session.flush()


def effective_policy(session: Session, dataset: DatasetRef) -> EffectivePolicy:
    """The dataset's own policy, else its party's default, else BUILTIN_DEFAULT."""
    row = _scope_row(session, dataset_id=dataset.id, party=None)
    if row is None:
        party = dataset.party
        row = _scope_row(session, dataset_id=None, party=party) if party else None
        if row is None:
            return EffectivePolicy(dict(BUILTIN_DEFAULT), "builtin", 0, None)
        return EffectivePolicy(row.document, "party", row.version, row.id)
    return EffectivePolicy(row.document, "dataset", row.version, row.id)


def history(session: Session, *, dataset: DatasetRef) -> list[dict]:
    """Every version of the dataset's own policy, oldest first."""
    rows = session.scalars(select(PolicyVersion).where(PolicyVersion.scope == f"dataset:{dataset.id}")
                           .order_by(PolicyVersion.number))
    return [{"number": r.number, "document": r.document, "by": r.created_by,
             "at": r.created_at.isoformat() + "Z"} for r in rows]


def to_odrl(document: dict, *, target: str, assigner: str | None) -> dict:
    """The same policy written as an ODRL 2.2 Set (for exchange with other catalogues)."""
    constraints = []
    if document.get("purposes"):
        constraints.append({"leftOperand": "purpose", "operator": "isAnyOf", "rightOperand": document["purposes"]})
    if document.get("embargo_until"):
        constraints.append({"leftOperand": "dateTime", "operator": "gteq", "rightOperand": document["embargo_until"]})
    if document.get("expires"):
        constraints.append({"leftOperand": "dateTime", "operator": "lteq", "rightOperand": document["expires"]})
    assignee = {"public": "anyone", "members": "sco:members", "owner": assigner,
                "parties": document.get("parties"), "orgs": document.get("orgs")}[document["audience"]]
    permission = {"action": "use", "target": target, "assignee": assignee, "constraint": constraints}
    if document.get("aggregates_only_k"):
        permission["duty"] = [{"action": "aggregate", "constraint": [
            {"leftOperand": "count", "operator": "gteq", "rightOperand": document["aggregates_only_k"]}]}]
    policy = {"@context": "http://www.w3.org/ns/odrl.jsonld", "@type": "Set", "uid": f"{target}#policy",
              "assigner": assigner, "permission": [permission]}
    if not document.get("export", True) or document.get("aggregates_only_k"):
        policy["prohibition"] = [{"action": "distribute", "target": target}]
    return policy

