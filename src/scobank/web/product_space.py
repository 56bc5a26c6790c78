"""A member's product space as the portal draws it: a readable network cut from the full proximity matrix.

Nodes: the member's strongest products (RCA >= 1, by export value) and the products nearest to them
(highest density for the member), at most `nodes` in all. Edges: the maximum spanning tree of proximity
over those nodes (every node connected by its strongest link, as the Atlas of Economic Complexity draws
its backbone) plus the strongest other links, at most `2 * nodes` in all.

Places and colours: each node sits where the Atlas of Economic Complexity draws the product (x, y
from `scobank.web.product_space_layout`; a product with no place there is laid out by the chart next
to its neighbours) and has the colour of its product group; the member's strengths are flagged
(`highlight`), so the chart fills them and fades the rest.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.complexity import YearComplexity
from scobank.errors import NotFound
from scobank.web.product_space_layout import group_of, places_for


def _node_indices(r: YearComplexity, row: int, limit: int) -> np.ndarray:
    """Indices of the products shown: strengths by export value (up to half), then by density."""
    strong = np.flatnonzero(r.rca[row] >= 1)
    strong = strong[np.argsort(-r.value[row, strong], kind="stable")][: limit // 2]
    rest = np.setdiff1d(np.arange(len(r.products)), strong)
    nearest = rest[np.argsort(-r.space.density[row, rest], kind="stable")][: limit - len(strong)]
    return np.concatenate([strong, nearest])


def _spanning_tree(phi: np.ndarray) -> list[tuple[int, int]]:
    """Prim's maximum spanning tree of a dense symmetric similarity matrix: n - 1 pairs (i, j)."""
    n = len(phi)
    inside = np.zeros(n, dtype=bool)
    inside[0] = True
    best, parent = phi[0].copy(), np.zeros(n, dtype=int)
    pairs = []
    for _ in range(n - 1):
        candidate = np.where(inside, -np.inf, best)
        j = int(np.argmax(candidate))
        pairs.append((int(parent[j]), j))
        inside[j] = True
        closer = phi[j] > best
        best, parent = np.where(closer, phi[j], best), np.where(closer, j, parent)
    return pairs


def member_network(r: YearComplexity, *, iso3: str, session: Session, reader: Reader, nodes: int = 200) -> dict:
    """charts.js `network` data for member `iso3` (nodes with `highlight` = RCA >= 1) and the rows of the
    table alternative (product, rca, exports, density, pci, strongest neighbour); the Atlas layout is read
    as `reader`. NotFound if `iso3` does not export in the year."""
    hits = np.flatnonzero(r.exporters.astype(str) == iso3)
    if not len(hits):
        raise NotFound(f"{iso3} exports nothing in the {r.year} product space")
    row, idx = int(hits[0]), _node_indices(r, int(hits[0]), nodes)
    phi = np.array(r.space.proximity[np.ix_(idx, idx)], dtype=float)
    np.fill_diagonal(phi, 0.0)
    tree = {tuple(sorted(p)) for p in _spanning_tree(phi)} if len(idx) > 1 else set()
    upper = np.triu_indices(len(idx), 1)
    order = np.argsort(-phi[upper], kind="stable")
    extra = [(int(upper[0][k]), int(upper[1][k])) for k in order[: 2 * len(idx)]]
    pairs = list(tree) + [p for p in extra if p not in tree][: max(0, 2 * len(idx) - len(tree))]
    codes = r.products[idx].astype(str)
    places = places_for(list(codes), session=session, reader=reader)
    world = r.value.sum(axis=0)[idx]
    top = world.max() or 1.0
    items = [_node(str(code), size=float(world[k] / top), rca=float(r.rca[row, i]), place=places.get(code))
             for k, (code, i) in enumerate(zip(codes, idx, strict=True))]
    edges = [[codes[a], codes[b], round(float(phi[a, b]), 3)] for a, b in pairs if phi[a, b] > 0]
    nearest = phi.argmax(axis=1)
    rows = [{"product": codes[k], "name": items[k]["name"], "group": items[k]["group"],
             "rca": float(r.rca[row, i]), "exports": float(r.value[row, i]),
             "density": float(r.space.density[row, i]), "pci": float(r.pci[i]), "strong": bool(r.rca[row, i] >= 1),
             "neighbour": codes[nearest[k]], "proximity": float(phi[k, nearest[k]])} for k, i in enumerate(idx)]
    return {"nodes": items, "edges": edges, "rows": rows, "year": r.year, "groups": _groups(places, codes, items),
            "placed": sum(1 for n in items if "x" in n),
            "strong_total": int((r.rca[row] >= 1).sum()), "products_total": len(r.products)}


def _node(code: str, *, size: float, rca: float, place) -> dict:
    group = group_of(place)
    node = {"id": code, "label": code, "name": place.name if place else "", "size": size,
            "highlight": rca >= 1, "rca": round(rca, 2), "group": group["key"], "color": group["color"]}
    if place is not None and place.x is not None and place.y is not None:
        node.update(x=place.x, y=place.y)
    return node


def _groups(places: dict, codes, items: list[dict]) -> list[dict]:
    """The legend: each product group of the nodes (in the groups' own order) with its colour, label
    (an English msgid), number of nodes and of the member's strengths."""
    seen: dict[str, dict] = {}
    for code, node in zip(codes, items, strict=True):
        entry = seen.setdefault(node["group"], dict(group_of(places.get(code)), nodes=0, strong=0))
        entry["nodes"] += 1
        entry["strong"] += int(node["highlight"])
    return sorted(seen.values(), key=lambda g: (g["key"] == "other", int(g["key"].rpartition(":")[2] or 0)
                                                if g["key"] != "other" else 0))
