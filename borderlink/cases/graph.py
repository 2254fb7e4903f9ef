"""The case's link graph as a user may see it: server-rendered SVG (layout by networkx), and exports as GraphML
and JSON for analysts' tools.

Only what the user may see is drawn or exported: shared items and their own country's private ones, never a
victim for anyone outside victim protection, and a link only when both its ends are visible (a link never
reveals an entity). The drawing is capped at MAX_NODES entities so that it stays readable: the connected
neighbourhood of the best-connected entity, or of the entity asked for (`focus`); an entity with links to entities not drawn shows
how many, and opens on demand. The exports hold the whole visible graph.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import networkx as nx
from django.utils.html import escape

from borderlink.cases import access
from borderlink.cases.correlation import ENTITY_FILLERS, correlated_entity_ids
from borderlink.cases.models import Case, Entity, EntityKind, Link
from borderlink.core.prepared import PreparedIds

MAX_NODES = 120
WIDTH, HEIGHT = 960, 720

# kind -> (shape, short mark, colour)
ICONS: dict[str, tuple[str, str, str]] = {
    EntityKind.PERSON: ("circle", "P", "#2b6cb0"),
    EntityKind.PHONE: ("rect", "☏", "#2f855a"),
    EntityKind.ACCOUNT: ("rect", "$", "#b7791f"),
    EntityKind.VEHICLE: ("rect", "V", "#4a5568"),
    EntityKind.WALLET: ("hex", "₿", "#c05621"),
    EntityKind.ONLINE: ("circle", "@", "#6b46c1"),
    EntityKind.ORGANISATION: ("hex", "O", "#2c7a7b"),
    EntityKind.PLACE: ("diamond", "⌖", "#9b2c2c"),
    EntityKind.DOCUMENT: ("rect", "ID", "#718096"),
}


@dataclass
class Graph:
    """The visible graph: `nodes` {id: (kind, label, correlated)}, `edges` [(source, target, kind, shared)],
    what is drawn (`shown`), and per drawn node how many of its neighbours are not drawn (`hidden`)."""

    nodes: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, bool]] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    hidden: dict[str, int] = field(default_factory=dict)
    total: int = 0


def visible_links(user: Any, case: Case, entity_ids: Any) -> Any:
    """The case's links the user may see between the given entities (ids, or a query of them)."""
    return Link.objects.filter(case=case).filter(access.item_scope(user)).filter(source_id__in=entity_ids, target_id__in=entity_ids)


# the columns a case page's links read (cases/templatetags/case_page.link_rows)
LINK_COLUMNS = ("id", "kind", "source_id", "target_id", "first_date", "last_date", "amount", "currency", "information_source",
                "shared")
_PAGE_LINK_SIZES = (4, 16, 100)  # a page's entities: at most views.PAGE
_PAGE_LINKS = PreparedIds(
    "cases.page.links", Link,
    lambda reader, case_id, *ids: visible_links(reader, Case(pk=case_id), ids).values(*LINK_COLUMNS)[:max(_PAGE_LINK_SIZES)],
    Entity._meta.pk, _PAGE_LINK_SIZES, ENTITY_FILLERS, lead=[Case._meta.pk])


def page_links(user: Any, case: Case, entity_ids: list[Any], limit: int = 100) -> list[SimpleNamespace]:
    """The first `limit` of `visible_links(user, case, entity_ids)` (a case page's links between its page of
    entities), each with the attributes of LINK_COLUMNS: through a fixed-shape statement (`core.prepared.PreparedIds`:
    compiled once per process, reader shape and number of ids, the item rule bound with this reader's country) for up
    to 100 distinct ids and a limit of 100, else through the ORM. [] without ids (no statement, as the ORM's empty IN)."""
    if not entity_ids:
        return []
    rows = _PAGE_LINKS.values(user, entity_ids, case.pk) if limit == max(_PAGE_LINK_SIZES) else None
    if rows is None:
        rows = list(visible_links(user, case, entity_ids).values(*LINK_COLUMNS)[:limit])
    return [SimpleNamespace(**row) for row in rows]


@dataclass(frozen=True)
class _Row:
    pk: Any
    kind: str
    label: str
    qualifier: str
    value: str
    correlated_at: Any
    case_id: Any


def build(user: Any, case: Case, focus: str | None = None, limit: int = MAX_NODES, mark: bool = True) -> Graph:
    """The graph the user may see, and the part of it to draw (at most `limit` entities; 0 for all). Linear in
    the case's visible entities and links: two indexed queries for them (ids, kinds and labels only; ids read as
    text: no UUID objects for thousands of rows), a breadth-first walk over an adjacency map, and the marks
    (correlated_entity_ids) looked up for the entities drawn only (all of them for an export)."""
    from django.db import connection
    from django.db.models import TextField
    from django.db.models.functions import Cast

    # PostgreSQL casts a uuid to its canonical text; elsewhere (SQLite keeps 32 hex digits) Python does
    as_text = connection.vendor == "postgresql"

    def ids(*fields: str) -> dict[str, Any]:
        return {f"{name}_text": Cast(name, TextField()) for name in fields} if as_text else {}

    def text(name: str) -> str:
        return f"{name}_text" if as_text else name

    visible = access.visible_entities(user, case)
    graph = Graph()
    for key, kind, label in visible.annotate(**ids("id")).values_list(text("id"), "kind", "label"):
        graph.nodes[str(key)] = (kind, label, False)
    graph.total = len(graph.nodes)
    # the case's links the user may see, by the case's index; a link is kept only when both its ends are visible
    # (a link never reveals an entity), checked against the visible entities in memory
    links = (Link.objects.filter(case=case).filter(access.item_scope(user)).annotate(**ids("source_id", "target_id"))
             .values_list(text("source_id"), text("target_id"), "kind", "shared"))
    neighbours: dict[str, set[str]] = {node: set() for node in graph.nodes}
    degree: dict[str, int] = dict.fromkeys(graph.nodes, 0)
    for source, target, kind, shared in links:
        s, t = (source, target) if as_text else (str(source), str(target))
        if s in graph.nodes and t in graph.nodes:
            graph.edges.append((s, t, kind, shared))
            neighbours[s].add(t)
            neighbours[t].add(s)
            degree[s] += 1
            degree[t] += 1
    if not limit or len(graph.nodes) <= limit:
        chosen = list(graph.nodes)
    else:
        # a connected neighbourhood, breadth first, best-connected neighbours first: from the entity asked for,
        # else from the best-connected entity (links between the drawn entities are what a reader follows)
        start = focus if focus in graph.nodes else max(graph.nodes, key=lambda n: (degree[n], n))
        seen = {start: None}
        frontier = [start]
        while frontier and len(seen) < limit:
            following = []
            for node in frontier:
                for n in sorted(neighbours[node], key=lambda n: (-degree[n], n)):
                    if n not in seen and len(seen) < limit:
                        seen[n] = None
                        following.append(n)
            frontier = following
        chosen = list(seen)
    graph.shown = chosen
    drawn = set(chosen)
    for node in chosen:
        missing = sum(1 for n in neighbours[node] if n not in drawn)
        if missing:
            graph.hidden[node] = missing
    if mark and chosen:
        # what the marks need, for the entities drawn only (a few, whatever the size of the case)
        drawn_rows = visible.filter(pk__in=chosen).values_list("id", "kind", "label", "qualifier", "value", "correlated_at")
        for node in correlated_entity_ids(user, [_Row(str(row[0]), *row[1:], case.pk) for row in drawn_rows]):
            kind, label, _ = graph.nodes[node]
            graph.nodes[node] = (kind, label, True)
    return graph


def _shape(kind: str, x: float, y: float, colour: str) -> str:
    shape = ICONS.get(kind, ("circle", "?", "#555"))[0]
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="13" fill="{colour}"/>'
    if shape == "rect":
        return f'<rect x="{x - 12:.1f}" y="{y - 12:.1f}" width="24" height="24" rx="4" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 15:.1f} {x + 15:.1f},{y:.1f} {x:.1f},{y + 15:.1f} {x - 15:.1f},{y:.1f}" fill="{colour}"/>'
    points = " ".join(f"{x + 14 * math.cos(math.pi / 3 * i):.1f},{y + 14 * math.sin(math.pi / 3 * i):.1f}" for i in range(6))
    return f'<polygon points="{points}" fill="{colour}"/>'


LAYOUT_SECONDS = 24 * 3600


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions of the drawn entities (networkx's spring layout, seeded: the same graph is drawn the same way),
    kept in the cache under a digest of the drawn nodes and links: a case's graph is laid out once per version
    of what is drawn, and any change (an entity, a link, another focus, another reader's view) is a new key."""
    import hashlib

    from django.core.cache import cache

    nodes = sorted(g.nodes)
    if len(nodes) < 2:
        return dict.fromkeys(nodes, (0.0, 0.0))
    edges = sorted(tuple(sorted(e)) for e in g.edges())
    key = "cases.graph.layout." + hashlib.sha256(json.dumps([nodes, edges]).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return {node: (x, y) for node, (x, y) in cached.items()}
    computed = nx.spring_layout(g, seed=7, iterations=40, k=2.0 / math.sqrt(len(nodes)))
    positions = {node: (float(x), float(y)) for node, (x, y) in computed.items()}
    cache.set(key, positions, LAYOUT_SECONDS)
    return positions


def svg(graph: Graph, expand_url: str, labels: dict[str, str], title: str = "") -> str:
    """The drawn part as SVG: one shape and mark per entity kind, a red ring on an entity correlated with
    another case, dashed lines for private links, and a "+n" link that opens an entity's hidden neighbours.
    `expand_url` holds "{id}"; `labels` translates kinds (the reader's language); `title` names the drawing for
    screen readers."""
    if not graph.shown:
        return ""
    g = nx.Graph()
    g.add_nodes_from(graph.shown)
    drawn = set(graph.shown)
    g.add_edges_from((s, t) for s, t, _k, _sh in graph.edges if s in drawn and t in drawn)
    positions = layout(g)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def at(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return 60 + (x - min(xs)) / span_x * (WIDTH - 180), 40 + (y - min(ys)) / span_y * (HEIGHT - 80)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="case-graph" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for s, t, kind, shared in graph.edges:
        if s in drawn and t in drawn:
            (x1, y1), (x2, y2) = at(s), at(t)
            dash = "" if shared else ' stroke-dasharray="5 4"'
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999"{dash}>'
                       f"<title>{escape(labels.get(kind, kind))}</title></line>")
    for node in graph.shown:
        kind, label, correlated = graph.nodes[node]
        x, y = at(node)
        _shape_name, mark, colour = ICONS.get(kind, ("circle", "?", "#555"))
        out.append(f'<g class="node"><title>{escape(labels.get(kind, kind))}: {escape(label)}</title>')
        if correlated:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="19" fill="none" stroke="#c53030" stroke-width="3"/>')
        out.append(_shape(kind, x, y, colour))
        out.append(f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" fill="#fff">{escape(mark)}</text>')
        out.append(f'<text x="{x + 18:.1f}" y="{y + 4:.1f}" font-size="11">{escape(label[:24])}</text>')
        if node in graph.hidden:
            out.append(f'<a href="{escape(expand_url.replace("{id}", node))}"><text x="{x - 8:.1f}" y="{y - 18:.1f}" '
                       f'font-size="11" fill="#2b6cb0">+{graph.hidden[node]}</text></a>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _export_graph(graph: Graph) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node, (kind, label, correlated) in graph.nodes.items():
        g.add_node(node, kind=kind, label=label, correlated=correlated)
    for s, t, kind, shared in graph.edges:
        g.add_edge(s, t, kind=kind, shared=shared)
    return g


def graphml(graph: Graph) -> str:
    return "\n".join(nx.generate_graphml(_export_graph(graph)))


def as_json(graph: Graph) -> str:
    return json.dumps(nx.node_link_data(_export_graph(graph), edges="links"), ensure_ascii=False)
