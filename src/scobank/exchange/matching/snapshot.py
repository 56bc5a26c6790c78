"""An in-memory columnar copy of everything that can be matched: published listings (a project once per
missing input) and enterprise profiles (once per product), as numpy arrays.

Built from SQL once and reused while nothing changed: `current_snapshot` compares a cheap generation key
(count of rows and newest `updated_at` of listings and of enterprises) before each match. When only
listings or enterprises changed, the listing rows changed since the newest change seen (minus a few
seconds for late commits), and those of changed enterprises, replace their old rows (marked dead) and are
appended, and the small enterprise columns are re-read; if the published count then disagrees (a commit
older than the overlap), or a fifth of the rows are dead, the snapshot is rebuilt. Text vectors are written in the
same transaction as their listing. Expiry is checked against the clock at match time, so a listing past
its expiry never matches even before the sweep marks it expired.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from scobank.exchange.kinds import KINDS, SIZE_BANDS, UNITS, matching_fields, validate_details
from scobank.exchange.matching.inputs import MatchingInputs
from scobank.exchange.models import Enterprise, Listing, TextVector

UNIT_CODES = {u: i for i, u in enumerate(UNITS)}
KIND_CODES = {k: i for i, k in enumerate(KINDS)}
ENTERPRISE_KIND = -1


@dataclass
class Columns:
    """One row per matchable thing; every array has the same length."""

    ids: np.ndarray  # listing id (or enterprise id for profile rows)
    enterprise_id: np.ndarray
    kind: np.ndarray  # index into KINDS; -1 = an enterprise profile
    party: np.ndarray  # index into Snapshot.parties
    size: np.ndarray  # index into SIZE_BANDS
    hs6: np.ndarray  # int code or -1
    hs4: np.ndarray
    hs2: np.ndarray
    volume: np.ndarray  # per year; NaN = unknown
    unit: np.ndarray  # index into UNITS or -1
    available_from: np.ndarray  # proleptic ordinal days; NaN = unknown
    available_to: np.ndarray
    deadline: np.ndarray
    lead_time: np.ndarray  # days
    sourced_from: np.ndarray  # party index or -1
    trl: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    expires: np.ndarray  # POSIX seconds; +inf for profiles
    generated: np.ndarray
    sector: np.ndarray  # ISIC rev. 4 the listing names (profiles: the enterprise's first), as int; -1 none
    holds: dict[str, np.ndarray] = field(default_factory=dict)  # certification -> enterprise holds it
    requires: dict[str, np.ndarray] = field(default_factory=dict)  # certification -> listing requires it
    vectors: np.ndarray | None = None  # n x d unit vectors (rows of zeros where missing)
    has_vector: np.ndarray | None = None
    alive: np.ndarray | None = None  # False: replaced by a newer row (incremental refresh)

    blocks: dict = field(default_factory=dict, repr=False)  # kinds -> (rows, their vectors contiguous)

    def __len__(self) -> int:
        return len(self.ids)

    def __post_init__(self) -> None:
        if self.alive is None:
            self.alive = np.ones(len(self.ids), dtype=bool)

    def similarities(self, vector: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Dot products of `vector` with the vectors of rows `idx` (sorted). Many rows are read from a
        contiguous copy of the vectors of their kinds, made once per snapshot: gathering the rows for
        each query would copy as much memory as the product reads."""
        if len(idx) * 4 < len(self):
            return self.vectors[idx] @ vector
        kinds = tuple(np.unique(self.kind[idx]).tolist())
        if kinds not in self.blocks:
            rows = np.flatnonzero(np.isin(self.kind, np.array(kinds, dtype=self.kind.dtype)))
            self.blocks[kinds] = (rows, np.ascontiguousarray(self.vectors[rows]))
        rows, matrix = self.blocks[kinds]
        return (matrix @ vector)[np.searchsorted(rows, idx)]


ARRAY_FIELDS = ("ids", "enterprise_id", "kind", "party", "size", "hs6", "hs4", "hs2", "volume", "unit",
                "available_from", "available_to", "deadline", "lead_time", "sourced_from", "trl", "lat", "lon",
                "expires", "generated", "sector", "alive")


def concat(a: Columns, b: Columns) -> Columns:
    """Rows of `a` then rows of `b` (certification maps and vectors aligned)."""
    out = Columns(**{f: np.concatenate([getattr(a, f), getattr(b, f)]) for f in ARRAY_FIELDS})
    for name in ("holds", "requires"):
        left, right = getattr(a, name), getattr(b, name)
        setattr(out, name, {k: np.concatenate([left.get(k, np.zeros(len(a), bool)), right.get(k, np.zeros(len(b), bool))])
                            for k in set(left) | set(right)})
    if a.vectors is not None or b.vectors is not None:
        dim = (a.vectors if a.vectors is not None else b.vectors).shape[1]
        va = a.vectors if a.vectors is not None else np.zeros((len(a), dim), np.float32)
        vb = b.vectors if b.vectors is not None else np.zeros((len(b), dim), np.float32)
        ha = a.has_vector if a.has_vector is not None else np.zeros(len(a), bool)
        hb = b.has_vector if b.has_vector is not None else np.zeros(len(b), bool)
        out.vectors, out.has_vector = np.vstack([va, vb]), np.concatenate([ha, hb])
    return out


@dataclass
class Snapshot:
    listings: Columns
    enterprises: Columns
    parties: list[str]
    party_index: dict[str, int]
    distance_km: np.ndarray  # parties x parties, CEPII; NaN unknown
    rca: np.ndarray  # parties x 100 chapters; NaN unknown
    built_at: datetime
    key: tuple
    listings_seen: datetime | None = None  # newest listing `updated_at` read
    enterprises_seen: datetime | None = None
    enterprise_views: dict | None = None  # id -> _EnterpriseView, for incremental refresh
    certifications: dict | None = None
    rca_source: np.ndarray | None = None  # parties x 100: index into prior_labels of the figure's source
    prior_labels: tuple[str, ...] = ()


def _hs_ints(code: str | None) -> tuple[int, int, int]:
    if not code:
        return -1, -1, -1
    return (int(code) if len(code) == 6 else -1, int(code[:4]) if len(code) >= 4 else -1, int(code[:2]))


def sector_int(code: str | None) -> int:
    """ISIC code as a 4-digit int ("25" -> 2500, "2592" -> 2592); -1 when there is none."""
    return int(code.ljust(4, "0")) if code and code.isdigit() and len(code) <= 4 else -1


def _ordinal(d) -> float:
    return float(d.toordinal()) if d is not None else np.nan


def _epoch(ts: datetime | None) -> float:
    return ts.replace(tzinfo=UTC).timestamp() if ts is not None else np.inf


class _Builder:
    """Accumulates rows as lists, then turns them into a Columns."""

    NAMES = ("ids", "enterprise_id", "kind", "party", "size", "hs6", "hs4", "hs2", "volume", "unit",
             "available_from", "available_to", "deadline", "lead_time", "sourced_from", "trl", "lat", "lon",
             "expires", "generated", "sector")
    DTYPES = (np.int64, np.int64, np.int8, np.int16, np.int8, np.int64, np.int64, np.int64, np.float64,
              np.int8, np.float64, np.float64, np.float64, np.float64, np.int16, np.float64, np.float64,
              np.float64, np.float64, bool, np.int64)

    def __init__(self, party_index: dict[str, int]) -> None:
        self.rows: list[tuple] = []
        self.holds: list[list[str]] = []
        self.requires: list[list[str]] = []
        self.party_index = party_index

    def party(self, iso3: str | None) -> int:
        if not iso3:
            return -1
        if iso3 not in self.party_index:
            self.party_index[iso3] = len(self.party_index)
        return self.party_index[iso3]

    def add(self, *, ident, enterprise, kind, fields: dict, expires, generated, holds, requires) -> None:
        hs6, hs4, hs2 = _hs_ints(fields.get("hs_code"))
        size = SIZE_BANDS.index(enterprise.size_band) if enterprise.size_band in SIZE_BANDS else -1
        self.rows.append((
            ident, enterprise.id, kind, self.party(enterprise.party), size, hs6, hs4, hs2,
            fields.get("volume") if fields.get("volume") is not None else np.nan,
            UNIT_CODES.get(fields.get("unit"), -1), _ordinal(fields.get("available_from")),
            _ordinal(fields.get("available_to")), _ordinal(fields.get("deadline")),
            fields["lead_time_days"] if fields.get("lead_time_days") is not None else np.nan,
            self.party(fields.get("sourced_from")), fields["trl"] if fields.get("trl") is not None else np.nan,
            enterprise.lat if enterprise.lat is not None else np.nan,
            enterprise.lon if enterprise.lon is not None else np.nan, _epoch(expires), bool(generated),
            sector_int(fields.get("sector")),
        ))
        self.holds.append(list(holds or ()))
        self.requires.append(list(requires or ()))

    def build(self) -> Columns:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.NAMES)
        arrays = {n: np.asarray(col, dtype=t) for n, col, t in zip(self.NAMES, columns, self.DTYPES, strict=True)}
        out = Columns(**arrays)
        out.holds = _membership(self.holds)
        out.requires = _membership(self.requires)
        return out


def _membership(lists: list[list[str]]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for i, items in enumerate(lists):
        for item in items:
            out.setdefault(item, np.zeros(len(lists), dtype=bool))[i] = True
    return out


class _EnterpriseView:
    __slots__ = ("id", "party", "size_band", "lat", "lon")

    def __init__(self, id, party, size_band, lat, lon) -> None:  # noqa: A002
        self.id, self.party, self.size_band, self.lat, self.lon = id, party, size_band, lat, lon


def generation_key(session: Session) -> tuple:
    """(listings part, enterprises part): changes whenever something that matching reads changes.
    Only index-backed aggregates (count of all rows, newest `updated_at`): a few ms at 100,000 rows.
    Text vectors are written together with the listing or profile they belong to."""
    def part(model) -> tuple:  # two statements: SQLite answers max() from the index only when alone
        return (session.scalar(select(func.count()).select_from(model)),
                session.scalar(select(func.max(model.updated_at))))

    return (part(Listing), part(Enterprise))


def published_count(session: Session) -> int:
    return session.scalar(select(func.count(Listing.id)).where(Listing.status == "published")) or 0


def _enterprise_rows(session: Session):
    return session.execute(select(Enterprise.id, Enterprise.party, Enterprise.size_band, Enterprise.lat,
                                  Enterprise.lon, Enterprise.certifications, Enterprise.products, Enterprise.sectors,
                                  Enterprise.generated, Enterprise.updated_at)).all()


def _enterprise_columns(ent_rows, enterprises, certs, party_index) -> Columns:
    profiles = _Builder(party_index)
    for r in ent_rows:
        for code in r.products or [None]:
            profiles.add(ident=r.id, enterprise=enterprises[r.id], kind=ENTERPRISE_KIND,
                         fields={"hs_code": code, "sector": next(iter(r.sectors or []), None)}, expires=None, generated=r.generated, holds=certs[r.id],
                         requires=())
    return profiles.build()


def build_snapshot(session: Session, *, inputs: MatchingInputs, with_vectors: bool) -> Snapshot:
    """Read every published listing and every enterprise into columns (see module docstring)."""
    key = generation_key(session)
    ent_rows = _enterprise_rows(session)
    enterprises = {r.id: _EnterpriseView(r.id, r.party, r.size_band, r.lat, r.lon) for r in ent_rows}
    certs = {r.id: r.certifications or [] for r in ent_rows}
    parties = sorted({a for a, _ in inputs.distances.km} | {r.party for r in ent_rows})
    party_index = {p: i for i, p in enumerate(parties)}
    listings = _listing_columns(session, enterprises, certs, party_index)
    enterprise_cols = _enterprise_columns(ent_rows, enterprises, certs, party_index)
    if with_vectors:
        _attach_vectors(session, listings, "listing")
        _attach_vectors(session, enterprise_cols, "enterprise")
    parties = [p for p, _ in sorted(party_index.items(), key=lambda kv: kv[1])]
    rca, rca_source = _rca(parties, inputs)
    return Snapshot(listings=listings, enterprises=enterprise_cols, parties=parties, party_index=party_index,
                    distance_km=_distances(parties, inputs), rca=rca, rca_source=rca_source,
                    prior_labels=tuple(s.label for s in inputs.prior.sources),
                    built_at=datetime.now(UTC), key=(key, with_vectors, inputs.key), listings_seen=key[0][1],
                    enterprises_seen=key[1][1], enterprise_views=enterprises, certifications=certs)


def _listing_columns(session, enterprises, certs, party_index, *, where=()) -> Columns:
    builder = _Builder(party_index)
    where = [Listing.status == "published", *where]
    rows = session.execute(  # the order of columns is the order `_plain_columns` unpacks
        select(Listing.id, Listing.enterprise_id, Listing.kind, Listing.hs_code, Listing.volume, Listing.unit,
               Listing.available_from, Listing.available_to, Listing.deadline, Listing.lead_time_days,
               Listing.sourced_from, Listing.trl, Listing.certifications_required, Listing.expires_at,
               Listing.generated, Listing.sector)
        .where(*where)
    ).all()
    projects = {r.id: r.details for r in session.execute(
        select(Listing.id, Listing.details).where(*where, Listing.kind == "project"))}
    for r in rows:
        if r.kind != "project":
            continue
        model = validate_details("project", projects[r.id])
        common = dict(ident=r.id, enterprise=enterprises[r.enterprise_id], kind=KIND_CODES[r.kind],
                      expires=r.expires_at, generated=r.generated, holds=certs[r.enterprise_id],
                      requires=r.certifications_required)
        for item in range(len(model.missing)):
            builder.add(fields=matching_fields("project", model, item=item), **common)
    plain = _plain_columns([r for r in rows if r.kind != "project"], enterprises, certs, party_index)
    return concat(plain, builder.build())


def _floats(values) -> np.ndarray:
    return np.array(values, dtype=np.float64)  # None becomes NaN


def _plain_columns(rows, enterprises, certs, party_index) -> Columns:
    """Columns of non-project listings, built column by column (no per-row Python objects)."""
    if not rows:
        return _Builder(party_index).build()
    (ids, ent, kinds, hs, volume, unit, a_from, a_to, deadline, lead, sourced, trl, required, expires,
     generated, sectors) = zip(*rows, strict=True)
    ent_ids = np.array(sorted(enterprises), dtype=np.int64)
    pos = np.searchsorted(ent_ids, np.array(ent, dtype=np.int64))
    views = [enterprises[e] for e in ent_ids.tolist()]

    def party(iso3):
        if not iso3:
            return -1
        return party_index.setdefault(iso3, len(party_index))

    ent_party = np.array([party(v.party) for v in views], dtype=np.int16)
    ent_size = np.array([SIZE_BANDS.index(v.size_band) if v.size_band in SIZE_BANDS else -1 for v in views],
                        dtype=np.int8)
    out = Columns(
        ids=np.array(ids, dtype=np.int64), enterprise_id=ent_ids[pos],
        kind=np.array([KIND_CODES[k] for k in kinds], dtype=np.int8), party=ent_party[pos], size=ent_size[pos],
        hs6=np.array([int(c) if c and len(c) == 6 else -1 for c in hs], dtype=np.int64),
        hs4=np.array([int(c[:4]) if c and len(c) >= 4 else -1 for c in hs], dtype=np.int64),
        hs2=np.array([int(c[:2]) if c else -1 for c in hs], dtype=np.int64),
        volume=_floats(volume), unit=np.array([UNIT_CODES.get(u, -1) for u in unit], dtype=np.int8),
        available_from=_floats([_ordinal(d) for d in a_from]), available_to=_floats([_ordinal(d) for d in a_to]),
        deadline=_floats([_ordinal(d) for d in deadline]), lead_time=_floats(lead),
        sourced_from=np.array([party(x) for x in sourced], dtype=np.int16), trl=_floats(trl),
        lat=_floats([v.lat for v in views])[pos], lon=_floats([v.lon for v in views])[pos],
        expires=np.array(expires, dtype="datetime64[us]").astype(np.int64) / 1e6,
        generated=np.array(generated, dtype=bool), sector=np.array([sector_int(x) for x in sectors], dtype=np.int64))
    held: dict[str, np.ndarray] = {}
    for i, e in enumerate(ent_ids.tolist()):
        for cert in certs.get(e, ()):
            held.setdefault(cert, np.zeros(len(ent_ids), dtype=bool))[i] = True
    out.holds = {cert: arr[pos] for cert, arr in held.items()}
    out.requires = _membership([list(r or ()) for r in required])
    return out


def _attach_vectors(session: Session, cols: Columns, owner: str) -> None:
    stored = dict(session.execute(select(TextVector.owner_id, TextVector.vector)
                                  .where(TextVector.owner == owner)).all())
    if not stored:
        return
    dim = len(next(iter(stored.values()))) // 4
    vectors = np.zeros((len(cols), dim), dtype=np.float32)
    has = np.zeros(len(cols), dtype=bool)
    for i, ident in enumerate(cols.ids.tolist()):
        blob = stored.get(ident)
        if blob is not None and len(blob) == dim * 4:
            vectors[i] = np.frombuffer(blob, dtype=np.float32)
            has[i] = True
    cols.vectors, cols.has_vector = vectors, has


def _distances(parties: list[str], inputs: MatchingInputs) -> np.ndarray:
    known = inputs.distances.km
    matrix = np.full((len(parties), len(parties)), np.nan)
    for i, a in enumerate(parties):
        for j, b in enumerate(parties):
            value = known.get((a, b))
            if value is not None:
                matrix[i, j] = value
    return matrix


def _rca(parties: list[str], inputs: MatchingInputs) -> tuple[np.ndarray, np.ndarray]:
    """(RCA, index of its source) per party and HS chapter, from the newest source per country."""
    matrix = np.full((len(parties), 100), np.nan)
    source = np.full((len(parties), 100), -1, dtype=np.int8)
    index = {p: i for i, p in enumerate(parties)}
    for (party, chapter), (value, which) in inputs.prior.table().items():
        if party in index:
            matrix[index[party], int(chapter)] = value
            source[index[party], int(chapter)] = which
    return matrix, source

REFRESH_OVERLAP = timedelta(seconds=5)  # re-read this much before the newest change seen (late commits)
REBUILD_DEAD_SHARE = 0.2


def refresh(session: Session, snap: Snapshot, key: tuple, *, inputs: MatchingInputs) -> Snapshot:
    """A new snapshot where the listings changed since the last read, and the listings of enterprises
    changed since then, replace their old rows; enterprise profiles re-read when any changed."""
    since = snap.listings_seen - REFRESH_OVERLAP
    views, certs = snap.enterprise_views, snap.certifications
    ent_changed: list[int] = []
    enterprise_cols = snap.enterprises
    party_index = dict(snap.party_index)
    if key[1] != snap.key[0][1]:
        ent_rows = _enterprise_rows(session)
        seen = snap.enterprises_seen
        ent_changed = [r.id for r in ent_rows if seen is None or r.updated_at >= seen - REFRESH_OVERLAP]
        views = {r.id: _EnterpriseView(r.id, r.party, r.size_band, r.lat, r.lon) for r in ent_rows}
        certs = {r.id: r.certifications or [] for r in ent_rows}
        enterprise_cols = _enterprise_columns(ent_rows, views, certs, party_index)
        if snap.key[1]:
            _attach_vectors(session, enterprise_cols, "enterprise")
    touched = or_(Listing.updated_at >= since, Listing.enterprise_id.in_(ent_changed)) if ent_changed \
        else Listing.updated_at >= since
    changed = list(session.scalars(select(Listing.id).where(touched)))
    old = snap.listings
    alive = old.alive & ~np.isin(old.ids, np.asarray(changed, dtype=np.int64))
    added = _listing_columns(session, views, certs, party_index, where=[touched])
    if snap.key[1]:
        _attach_vectors(session, added, "listing")
    kept = Columns(**{f: getattr(old, f) for f in ARRAY_FIELDS if f != "alive"}, alive=alive,
                   holds=old.holds, requires=old.requires, vectors=old.vectors, has_vector=old.has_vector)
    parties = [p for p, _ in sorted(party_index.items(), key=lambda kv: kv[1])]
    grown = len(parties) != len(snap.parties)
    rca, rca_source = _rca(parties, inputs) if grown else (snap.rca, snap.rca_source)
    return Snapshot(listings=concat(kept, added), enterprises=enterprise_cols, parties=parties,
                    party_index=party_index,
                    distance_km=_distances(parties, inputs) if grown else snap.distance_km,
                    rca=rca, rca_source=rca_source, prior_labels=snap.prior_labels, built_at=datetime.now(UTC),
                    key=(key, snap.key[1], inputs.key), listings_seen=key[0][1], enterprises_seen=key[1][1],
                    enterprise_views=views, certifications=certs)


_CACHE: dict[str, Snapshot] = {}
_LOCK = threading.Lock()


def current_snapshot(session: Session, *, inputs: MatchingInputs, with_vectors: bool) -> Snapshot:
    """The cached snapshot for this database: as is when nothing changed; else refreshed with what changed
    (rebuilt when a fifth of the rows are stale, or the refresh misses a late commit)."""
    url = str(session.get_bind().url)
    key = generation_key(session)
    full_key = (key, with_vectors, inputs.key)
    with _LOCK:
        cached = _CACHE.get(url)
    if cached is not None and cached.key == full_key:
        return cached
    same_world = cached is not None and cached.key[1:] == full_key[1:]
    stale = cached is not None and (~cached.listings.alive).sum() > REBUILD_DEAD_SHARE * max(len(cached.listings), 1)
    snapshot = None
    if same_world and not stale and cached.listings_seen is not None:
        snapshot = refresh(session, cached, key, inputs=inputs)
        cols = snapshot.listings
        if len(np.unique(cols.ids[cols.alive])) != published_count(session):  # a late commit: start over
            snapshot = None
    if snapshot is None:
        snapshot = build_snapshot(session, inputs=inputs, with_vectors=with_vectors)
    with _LOCK:
        _CACHE[url] = snapshot
    return snapshot
