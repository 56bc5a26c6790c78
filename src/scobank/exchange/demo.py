"""Demo step: a generated, plausible exchange built from real structure, every item flagged `generated`.

No enterprise register is available offline. For each SCO member we generate enterprises in its real
regions and cities (places.py), producing in the HS chapters where the member's real exports show the
highest revealed comparative advantage (SITC exports 1998-2000), and needing products of chapters where
other members are strong and it is not (RCA < 1), "currently sourced from" the leading exporter of that
chapter outside the bloc.
Listings carry titles in en/ru/zh (the member's working language marked original). A few generated
expressions of interest walk the funnel. Deterministic (seeded) and idempotent.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access.reader import OPERATOR
from scobank.errors import NotFound
from scobank.exchange.demo_texts import CHAPTERS_ZH, process_for, texts
from scobank.exchange.kinds import SIZE_BANDS
from scobank.exchange.listings import create_listing, publish_listing
from scobank.exchange.matching.geography import MEMBERS_SINCE, bloc_members
from scobank.exchange.matching.priors import (NO_EXPORTS, Exports, exports_by_division, leading_exporter,
                                             strongest_chapters, weakest_chapters)
from scobank.exchange.models import Enterprise
from scobank.exchange.places import CITIES, LANGUAGES, NATIONAL_MARKS, WRITES_IN
from scobank.exchange.profiles import create_enterprise
from scobank.exchange.schemas import EnterpriseCreate, ListingCreate

SEED = 20240704  # the SCO Astana summit, 4 July 2024
ENTERPRISES_PER_MEMBER = 8
FALLBACK_STRENGTHS = ["84", "85", "72", "52", "39"]
MAX_INTERESTS = 24


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _exports(session: Session) -> Exports:
    """The real exports the generator draws strengths from (the bank's published SITC exports, read as
    the operator through the gate); none when the demo published no real data."""
    try:
        return exports_by_division(session, reader=OPERATOR)
    except NotFound:
        return NO_EXPORTS


class _World:
    """Reference data the generator reads: HS codes by chapter, names, strengths."""

    def __init__(self, session: Session, data_dir: Path | None) -> None:
        from scobank.reference.lookup import hs_table

        self.session = session
        self.exports = _exports(session) if data_dir is not None else NO_EXPORTS
        table = hs_table(session, "HS22").to_pylist()
        self.codes: dict[str, list[str]] = {}
        for row in table:
            if row["level"] == 6:
                self.codes.setdefault(row["code"][:2], []).append(row["code"])

    def name(self, code: str) -> tuple[str, str, str]:
        """The product of `code` in en/ru/zh: its heading's name in each language, else its chapter's
        (never another language's text in its place)."""
        return tuple(self._name(code, lang) for lang in ("en", "ru", "zh"))

    def _name(self, code: str, lang: str) -> str:
        from scobank.reference.lookup import DERIVED_MARK, FALLBACK_MARK, hs_description

        for level in (code[:4], code[:2]):
            text = hs_description(self.session, "HS22", level, lang) or ""
            if text and not text.startswith(FALLBACK_MARK):
                return _short(text.removesuffix(f" {DERIVED_MARK.get(lang, '')}"))
        if lang == "zh" and code[:2] in CHAPTERS_ZH:
            return CHAPTERS_ZH[code[:2]]
        return _short(hs_description(self.session, "HS22", code[:4], "en") or f"HS {code[:4]}")

    def strengths(self, party: str) -> list[str]:
        found = [c for c in strongest_chapters(self.exports, party=party, n=5) if c in self.codes]
        return found or FALLBACK_STRENGTHS

    def needs(self, party: str) -> list[str]:
        """Chapters other members are strong in and `party` is not (RCA < 1): needs the bloc can meet;
        else the party's weakest manufacturing chapters."""
        from scobank.exchange.matching.priors import rca_table

        rca = rca_table(self.exports)
        others = {c for p in MEMBERS_SINCE if p != party for c in self.strengths(p)}
        found = sorted((c for c in others if rca.get((party, c), 0.0) < 1 and c in self.codes),
                       key=lambda c: rca.get((party, c), 0.0))[:3]
        found = found or [c for c in weakest_chapters(self.exports, party=party, n=3) if c in self.codes]
        return found or ["85", "87", "90"]


def populate(session: Session, *, data_dir: Path | None) -> list[str]:
    """Add the generated exchange once (nothing when generated enterprises already exist)."""
    existing = session.scalar(select(func.count(Enterprise.id)).where(Enterprise.generated.is_(True)))
    if existing:
        return [f"exchange: {existing} generated enterprises already there"]
    rng = random.Random(SEED)
    world = _World(session, data_dir)
    bloc = bloc_members(session) or frozenset(MEMBERS_SINCE)
    counts = {"enterprises": 0, "listings": 0}
    requests = []
    for party in sorted(MEMBERS_SINCE):
        organisation_id = _organisation_of(session, party)
        for number in range(ENTERPRISES_PER_MEMBER):
            enterprise = _enterprise(session, rng, world, party, number,
                                     organisation_id if number == 0 else None)
            counts["enterprises"] += 1
            made = _listings(session, rng, world, enterprise, bloc)
            counts["listings"] += len(made)
            requests += [m for m in made if m.kind == "product_request"]
    _store_vectors(session)
    walked = _walk_funnel(session, rng, requests)
    return [f"exchange: {counts['enterprises']} generated enterprises and {counts['listings']} generated "
            f"listings in {len(MEMBERS_SINCE)} members; {walked} generated expressions of interest "
            "(all labelled generated)"]


def _organisation_of(session: Session, party: str) -> int | None:
    """The first catalog organisation of the party, so its steward can act for one generated profile."""
    try:
        from scobank.catalog.organisations import find_organisation, list_organisations
    except ImportError:
        return None
    orgs = list_organisations(session, party=party)
    return find_organisation(session, orgs[0].slug).id if orgs else None


def _enterprise(session, rng, world, party, number, organisation_id) -> Enterprise:
    region, city, lat, lon = CITIES[party][number % len(CITIES[party])]
    chapters = world.strengths(party)
    products = sorted({rng.choice(world.codes[ch]) for ch in rng.sample(chapters, k=min(2, len(chapters)))})
    certs = sorted({"ISO 9001", NATIONAL_MARKS[party]} if rng.random() < 0.7 else {NATIONAL_MARKS[party]})
    if rng.random() < 0.3:
        certs.append("ISO 14001")
    label = f"{party}-{number + 1:02d}"
    data = EnterpriseCreate(
        name={"en": f"Generated enterprise {label} ({city})", "ru": f"Сгенерированное предприятие {label} ({city})",
              "zh": f"生成的企业 {label}（{city}）"},
        description={"en": f"Generated demonstration profile, {region}.",
                     "ru": f"Сгенерированный демонстрационный профиль, {region}.", "zh": f"生成的演示企业，{region}。"},
        original_language=WRITES_IN[party], party=party, region=region, city=city,
        lat=round(lat + rng.uniform(-0.05, 0.05), 4), lon=round(lon + rng.uniform(-0.05, 0.05), 4),
        products=products, certifications=certs, size_band=rng.choice(SIZE_BANDS),
        languages=LANGUAGES[party], sectors=[], contacts={"email": f"{label.lower()}@generated.example",
                                                         "phone": "+000 0000 0000 (generated)"})
    enterprise = create_enterprise(session, reader=OPERATOR, data=data, generated=True)
    if organisation_id is not None:
        enterprise.organisation_id = organisation_id
    return enterprise


def _listings(session, rng, world, enterprise, bloc) -> list:
    """One listing of each kind the enterprise plausibly has: its product offered, capacity in the work that
    makes it, a need for a product the bloc can supply; some technology, capacity sought and projects."""
    lang, today = enterprise.original_language, date.today()
    code = enterprise.products[0]
    names, work = world.name(code), process_for(code[:2])
    made = [_post(session, enterprise, "product_offer", lang, texts("product_offer", names), {
        "hs_code": code, "volume_per_year": float(rng.choice([50, 200, 1000, 5000])), "unit": "t",
        "lead_time_days": rng.choice([14, 30, 60]), "incoterms": [rng.choice(["FCA", "DAP", "EXW", "CPT"])],
        "price_min": 500.0, "price_max": 900.0})]
    made.append(_post(session, enterprise, "capacity_offer", lang, texts("capacity_offer", names, work, shown=work), {
        "process": work[0], "hs_code": code[:4], "capacity": float(rng.choice([10, 50, 100])), "unit": "t",
        "period": "month", "lead_time_days": rng.choice([10, 21, 45]),
        "available_from": (today + timedelta(days=rng.randint(0, 30))).isoformat(),
        "available_to": (today + timedelta(days=rng.randint(120, 300))).isoformat()}))
    need_chapter = rng.choice(world.needs(enterprise.party))
    need = rng.choice(world.codes[need_chapter])
    source = leading_exporter(world.exports, chapter=need_chapter, exclude=bloc)
    need_names = world.name(need)
    made.append(_post(session, enterprise, "product_request", lang, texts("product_request", need_names), {
        "hs_code": need, "volume_per_year": float(rng.choice([20, 100, 500])), "unit": "t",
        "deadline": (today + timedelta(days=rng.randint(45, 180))).isoformat(), "sourced_from": source,
        "certifications_required": ["ISO 9001"] if rng.random() < 0.5 else []}))
    made += _occasional(session, rng, enterprise, lang, (code, names), (need, need_names))
    return made


def _occasional(session, rng, enterprise, lang, own, needed) -> list:
    """Technology offered or sought, contract manufacturing sought, a joint project: for some enterprises."""
    (code, names), (need, need_names) = own, needed
    made, today = [], date.today()
    if rng.random() < 0.35:
        kind = rng.choice(["technology_offer", "technology_request"])
        made.append(_post(session, enterprise, kind, lang, texts(kind, names), {
            "trl": rng.randint(5, 9), "hs_code": code[:4], "ip_status": rng.choice(["patented", "know_how"]),
            "transfer_mode": rng.choice(["licence", "joint_venture", "training"])}))
    if rng.random() < 0.3:
        work = process_for(need[:2])
        made.append(_post(session, enterprise, "capacity_request", lang, texts("capacity_request", need_names, work), {
            "process": work[0], "hs_code": need[:4], "capacity": float(rng.choice([5, 20, 50])), "unit": "t",
            "period": "month", "deadline": (today + timedelta(days=rng.randint(60, 200))).isoformat()}))
    if rng.random() < 0.15:
        made.append(_post(session, enterprise, "project", lang, texts("project", need_names), {
            "missing": [{"what": "product", "hs_code": need, "volume_per_year": 100.0, "unit": "t"},
                        {"what": "capacity", "hs_code": code[:4], "description": process_for(code[:2])[0]}]}))
    return made


def _post(session, enterprise, kind, lang, written, details):
    title, description = written
    listing = create_listing(session, reader=OPERATOR, generated=True, data=ListingCreate(
        enterprise_id=enterprise.id, kind=kind, title=title, description=description, original_language=lang,
        details=details))
    return publish_listing(session, reader=OPERATOR, listing_id=listing.id)


def _store_vectors(session: Session) -> None:
    from scobank.exchange import text as text_model
    from scobank.exchange.text import listing_text, listing_words
    from scobank.exchange.models import Listing
    from scobank.exchange.vectors import store_many

    model = text_model.embedder()
    if model is None:
        return
    rows = session.scalars(select(Listing).where(Listing.generated.is_(True))).all()
    store_many(session, owner="listing", model=model,
               items=[(r.id, listing_words(r)) for r in rows])
    ents = session.scalars(select(Enterprise).where(Enterprise.generated.is_(True))).all()
    store_many(session, owner="enterprise", model=model,
               items=[(e.id, listing_text(e.name, e.description, e.original_language)) for e in ents])


def _walk_funnel(session: Session, rng: random.Random, requests: list) -> int:
    """For some needs, interest in their best match; some accepted, met, agreed."""
    from scobank.exchange.interest import accept_interest, express_interest
    from scobank.exchange.matching.service import find_matches

    walked = 0
    for request in requests:
        if walked >= MAX_INTERESTS:
            break
        report = find_matches(session, reader=OPERATOR, listing_id=request.id, limit=5, explain=0)
        if not report.matches:
            continue
        interest = express_interest(session, reader=OPERATOR, listing_id=report.matches[0].id,
                                    from_enterprise_id=request.enterprise_id, source_listing_id=request.id,
                                    message="Generated demonstration interest")
        interest.generated = True
        walked += 1
        roll = rng.random()
        if roll < 0.6:
            accept_interest(session, reader=OPERATOR, interest_id=interest.id)
            if roll < 0.35:
                _confirm_by_both(session, interest, ("meeting", "agreement") if roll < 0.15 else ("meeting",))
    return walked


def _confirm_by_both(session: Session, interest, stages: tuple[str, ...]) -> None:
    from scobank.exchange.outcomes import confirm_outcome

    for stage in stages:
        for side in (interest.from_enterprise_id, interest.to_enterprise_id):
            confirm_outcome(session, reader=OPERATOR, interest_id=interest.id, stage=stage, enterprise_id=side)
