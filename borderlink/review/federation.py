"""Aggregate statistics between nodes: `review.statistics`.

Each node computes its own figures (`review.figures`) and sends each peer the cells of their pair of
countries: counts by figure, key, month and direction, and the median hours to a first answer; no
reference, name, id or free text. Victims' cells travel already suppressed (under `victims.statistics.K`
they are null). The receiving node accepts only counts about its own pair with the sender (a peer speaks
only for its country), keys from the figure's fixed list, each cell once, a year in range; nothing in the
payload becomes a lookup or a field name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import Field

from borderlink.audit.services import record
from borderlink.federation import outbox, schema
from borderlink.federation.models import Peer
from borderlink.federation.registry import register
from borderlink.federation.schema import Moment, Strict
from borderlink.review import figures
from borderlink.review.models import PeerStatistics

KIND = "review.statistics"
CELLS_MAX = 6000
MEDIANS_MAX = 2 * 13
COUNT_MAX = 10**9
HOURS_MAX = 24 * 366 * 10

FigureName = Literal[tuple(figures.SPECS)]  # type: ignore[valid-type]  # the figures' names, from one list
Key = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


class CellPayload(Strict):
    figure: FigureName  # type: ignore[valid-type]
    key: Key
    month: Annotated[int, Field(ge=0, le=12)]
    origin: schema.Country
    counterpart: schema.Country
    count: Annotated[int, Field(ge=0, le=COUNT_MAX)] | None


class MedianPayload(Strict):
    month: Annotated[int, Field(ge=0, le=12)]
    origin: schema.Country
    counterpart: schema.Country
    hours: Annotated[float, Field(ge=0, le=HOURS_MAX)]


class StatisticsPayload(Strict):
    year: Annotated[int, Field(ge=figures.YEAR_MIN, le=2199)]
    computed_at: Moment
    cells: list[CellPayload] = Field(max_length=CELLS_MAX)
    medians: list[MedianPayload] = Field(max_length=MEDIANS_MAX)


def payload_for(result: dict[str, Any], other: str, computed_at: str) -> dict[str, Any]:
    """The envelope's payload for the peer of country `other`: the cells of this node's pair with it."""
    pair = {settings.NODE_COUNTRY, other}
    cells = [{"figure": name, "key": c["key"], "month": c["month"], "origin": c["origin"],
              "counterpart": c["counterpart"], "count": c["count"]}
             for name, rows in result["figures"].items() for c in rows
             if {c["origin"], c["counterpart"]} == pair]
    medians = [m for m in result["medians"] if {m["origin"], m["counterpart"]} == pair]
    return {"year": result["year"], "computed_at": computed_at, "cells": cells[:CELLS_MAX], "medians": medians[:MEDIANS_MAX]}


def queue(result: dict[str, Any], computed_at: str, countries: set[str] | None = None) -> list[str]:
    """Queue this node's figures to every active peer (or only to those of `countries`), each its pair's
    cells only; the countries sent to."""
    sent = []
    peers = Peer.objects.filter(is_active=True).exclude(country_id=settings.NODE_COUNTRY)
    if countries is not None:
        peers = peers.filter(country_id__in=sorted(countries))
    for peer in peers.order_by("country_id"):
        payload = payload_for(result, peer.country_id, computed_at)
        if outbox.enqueue(peer.country_id, KIND, f"{settings.NODE_COUNTRY}-{result['year']}", payload) is not None:
            sent.append(peer.country_id)
    return sent


def check(payload: StatisticsPayload, country: str) -> None:
    """The facts a peer's statistics must respect (ValidationError otherwise): the year in range on this
    node's clock, a time of computing not in the future, only cells of the pair (sender, this node), keys
    from the figure's list, each cell once, null counts and year totals (month 0) only where suppression
    applies, a published victims' count at least the threshold."""
    if not figures.YEAR_MIN <= payload.year <= figures.year_max():
        raise ValidationError(f"year {payload.year} out of range")
    schema.past_moment(payload.computed_at, "computed_at")
    pair = {country, settings.NODE_COUNTRY}
    if len(pair) != 2:
        raise ValidationError("statistics from this node's own country")
    seen: set[tuple] = set()
    keys: dict[str, set[str]] = {}
    for cell in payload.cells:
        spec = figures.SPECS[cell.figure]
        if {cell.origin, cell.counterpart} != pair:
            raise ValidationError(f"a cell about {cell.origin}->{cell.counterpart}: a peer speaks only for its pair")
        if cell.figure not in keys:
            keys[cell.figure] = set(spec.keys())
        if cell.key not in keys[cell.figure]:
            raise ValidationError(f"unknown key {cell.key!r} for {cell.figure}")
        if cell.month == 0 and not spec.suppressed:
            raise ValidationError(f"month 0 in {cell.figure}")
        if cell.count is None and not spec.suppressed:
            raise ValidationError(f"a null count in {cell.figure}")
        if spec.suppressed and cell.count is not None and cell.count < figures.VICTIM_K:
            raise ValidationError(f"an unsuppressed count under {figures.VICTIM_K} in {cell.figure}")
        ident = (cell.figure, cell.key, cell.month, cell.origin, cell.counterpart)
        if ident in seen:
            raise ValidationError(f"cell {ident} twice")
        seen.add(ident)
    months: set[tuple[int, str, str]] = set()
    for median in payload.medians:
        if {median.origin, median.counterpart} != pair:
            raise ValidationError("a median about another pair")
        median_key = (median.month, median.origin, median.counterpart)
        if median_key in months:
            raise ValidationError(f"median {median_key} twice")
        months.add(median_key)


@register(KIND, StatisticsPayload)
def apply_statistics(payload: StatisticsPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Keep the peer's figures for the year, replacing older ones (an older computation arriving late is
    recorded in the audit log and ignored)."""
    check(payload, peer.country_id)
    cells: dict[str, list[dict[str, Any]]] = {}
    for cell in payload.cells:
        cells.setdefault(cell.figure, []).append(
            {"key": cell.key, "month": cell.month, "origin": cell.origin, "counterpart": cell.counterpart, "count": cell.count})
    medians = [m.model_dump() for m in payload.medians]
    with transaction.atomic():
        held = PeerStatistics.objects.select_for_update().filter(country_id=peer.country_id, year=payload.year).first()
        if held is not None and held.computed_at >= payload.computed_at:
            record(None, "review.statistics.stale", object_type="peer_statistics", object_id=f"{peer.country_id}-{payload.year}",
                   data={"from_node": peer.node_id})
            return
        PeerStatistics.objects.update_or_create(
            country_id=peer.country_id, year=payload.year,
            defaults={"computed_at": payload.computed_at, "received_at": schema.received_now(), "figures": cells,
                      "medians": medians, "envelope_id": str(envelope.get("id", ""))[:40]})
        record(None, "review.statistics.received", object_type="peer_statistics",
               object_id=f"{peer.country_id}-{payload.year}",
               data={"from_node": peer.node_id, "cells": len(payload.cells)})
