"""Fixed-shape ORM queries compiled once per process and shape, their values bound per request (issue 19).

Building a query with the ORM (`filter`, `select_related`, the access rules' Q objects, then `as_sql`) costs more
CPU than running it: about a third of a message's, a notice's or a request's page went to finding the object
through its access rule. `accounts.sessions` and `accounts.backends._UserQuery` wrote the session's and the user's
reads by hand; this is the same idea for queries written with the ORM, without writing their SQL twice:

    _MESSAGE = Prepared("exchange.message", lambda reader, message_id:
                        visible_messages(reader).select_related("sender_unit").filter(id=message_id),
                        args=[Message._meta.pk])
    message = _MESSAGE.first(user, parsed_id)        # the model instance (related rows cached) or None

`build(reader, *args)` is the ORM query, written once, with the access rule of the module that owns it. The first
call for a *shape* calls it with a stand-in reader (`stand_in`: a User with the real user's capability flags,
`is_active`, whether they have a unit and whether that unit has a province, but a sentinel id, unit id, country and
province) and sentinel args, compiles it (`as_sql`), and finds where the sentinels landed among the statement's
parameters. Every later call with the same shape binds the real user's id, unit id, country and province and the real
args at those places, runs the statement and
builds the instances as Django's `ModelIterable` does (`from_db`, `select_related`'s populators, each value
through the converters the ORM applies). So:

- the access rule is still evaluated on every request for the current user: the statement carries it and runs
  with this user's values (the border's rules use the unit's province: `border.access.user_pairs`); the shape is keyed on every user attribute a rule may branch on (`reader_shape`);
- nothing of a user or of a row is kept: the cache holds SQL text, the positions of its parameters and constants
  of the rule (a state's name), per process, database vendor and shape (a few per query);
- values are prepared as the ORM prepares them (`get_db_prep_value` of the field each argument is compared with;
  the user's id, unit, country and province through their primary keys' fields).

`values(user, *args)`: for a `build` ending in `values(...)` (with `annotate` of aggregates: a GROUP BY), the rows
as the dicts `values()` gives (the names of Django's ValuesIterable, each value through the ORM's converters); the
requests dashboard's summary aggregates and medians' ranks go through it.

Errors: `PreparedError` at the first call of a shape when a sentinel does not come out as one parameter (the query
transformed it: not a fixed-shape query for this helper). Under tests and DEBUG (`settings.PREPARED_CHECK`, on
when TESTING or DEBUG) every call also builds the query with the real user and args through the ORM and raises
`PreparedError` unless its SQL and parameters are exactly those bound here: a rule that branches on something the
shape does not hold fails the tests instead of serving another shape's rule.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ValuesIterable, get_related_populators  # type: ignore[attr-defined]  # not in the stubs

from borderlink.accounts.models import Capability, User
from borderlink.core.models import Country, Province, Unit

M = TypeVar("M", bound=Model)

# Sentinels: values no real row or user holds, one per kind, so that each is found exactly once among the
# parameters of the compiled statement.
_USER_ID = 2_091_190_001
_UNIT_ID = 2_091_190_002
_COUNTRY = "~19k"  # Country codes are at most three characters: never a real one
_PROVINCE = 2_091_190_003
_ARGS = 4  # bound values before the arguments: the user's id, unit id, country and province
_FLAGS = tuple(f"is_{c}" for c in Capability.values)


class PreparedError(Exception):
    """A query this helper cannot bind (a sentinel transformed), or one whose ORM form differs from the bound one."""


def reader_shape(user: Any) -> tuple[Any, ...]:
    """What an access rule may branch on: signed in, active, has a unit, whether the unit has a province, and each
    capability flag. Two users with the same shape get the same statement with their own id, unit, country and
    province bound."""
    if not getattr(user, "is_authenticated", False):
        return (False,)
    return (True, bool(user.is_active), user.unit_id is None, user.unit_id is not None and user.unit.province_id is None,
            *(bool(getattr(user, f)) for f in _FLAGS))


def stand_in(user: Any) -> Any:
    """A User with `user`'s shape (`reader_shape`) and sentinel id, unit id, country and province (when the unit has
    one); its unit is cached."""
    if not getattr(user, "is_authenticated", False):
        return user  # AnonymousUser: rules return none() for it; nothing of it is bound
    reader = User(pk=_USER_ID, is_active=user.is_active, **{f: bool(getattr(user, f)) for f in _FLAGS})
    if user.unit_id is not None:
        reader.unit = Unit(pk=_UNIT_ID, country_id=_COUNTRY,
                           province_id=None if user.unit.province_id is None else _PROVINCE)
    return reader


def _sentinel(field: Field, i: int) -> Any:
    """A value of `field`'s kind no real row holds (i: the argument's position, to keep them distinct)."""
    internal = field.get_internal_type()
    if internal == "UUIDField":
        return uuid.UUID(int=0x19_0000_0000_0000_0000_0000_0000_0000 + i)
    if internal in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField",
                    "PositiveBigIntegerField", "SmallIntegerField", "SmallAutoField", "ForeignKey"):
        return 2_091_190_100 + i
    if internal == "DateTimeField":
        return datetime.datetime(1901, 1, 19, 0, 0, i, tzinfo=datetime.UTC)
    if internal == "DateField":
        return datetime.date(1901, 1, 19 + i)
    if internal in ("CharField", "TextField", "SlugField"):
        return f"~19k{i}~"
    raise PreparedError(f"no sentinel for a {internal} argument")


class _Shape:
    """One compiled statement: SQL, its parameters with the sentinels' places, how to build the instances."""

    def __init__(self, queryset: QuerySet, alias: str, sentinels: list[tuple[Any, int]], counted: bool = False,
                 values: bool = False) -> None:
        """`counted`: `SELECT COUNT(*) FROM (<queryset>)`; `values`: the rows of a `values()` queryset as dicts;
        else the queryset's model instances."""
        connection = connections[alias]
        self.vendor = connection.vendor
        self.empty = queryset.query.is_empty()  # a rule's none(): no statement, no rows
        if self.empty:
            return
        compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        if counted:
            self.sql = f"SELECT COUNT(*) FROM ({self.sql}) {connection.ops.quote_name('counted')}"  # noqa: S608 (compiled by the ORM; values are parameters)
        self.params = list(params)
        self.slots: list[tuple[int, int]] = []  # (place among the parameters, which bound value)
        for value, which in sentinels:
            places = [i for i, p in enumerate(self.params) if type(p) is type(value) and p == value]
            if not places and which >= _ARGS:  # the user's values may be absent (a rule not using them), not an argument
                raise PreparedError(f"the sentinel {value!r} is not among the parameters (transformed by the query?)")
            self.slots += [(place, which) for place in places]
        if counted:
            return
        select = compiler.select
        self.converters = list(compiler.get_converters([s[0] for s in select[0:compiler.col_count]]).items())
        if values:  # the names as Django's ValuesIterable gives them, in the select's order
            query = queryset.query
            self.names = (list(query.selected) if query.selected
                          else [*query.extra_select, *query.values_select, *query.annotation_select])
            self.col_count = compiler.col_count
            return
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.start, self.end = start, end
        self.init_list = [f[0].target.attname for f in select[start:end]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())


class Prepared(Generic[M]):
    """A fixed-shape ORM query of model instances for a reader, compiled once per process, database and shape
    (see the module). `build(reader, *args) -> QuerySet`; `args`: the field each argument is compared with (its
    value is prepared as that field's)."""

    def __init__(self, name: str, model: type[M], build: Callable[..., QuerySet[Any, Any]], args: Sequence[Field]) -> None:
        self.name = name
        self.model = model
        self.build = build
        self.arg_fields = list(args)
        self._shapes: dict[tuple[Any, ...], _Shape] = {}

    def _shape(self, alias: str, user: Any, first: bool, window: tuple[int, int] | None) -> _Shape:
        key = (alias, connections[alias].vendor, first, window, reader_shape(user))
        shape = self._shapes.get(key)
        if shape is None:
            sentinels = [_sentinel(f, i) for i, f in enumerate(self.arg_fields)]
            queryset = self._queryset(stand_in(user), sentinels, first, window)
            shape = self._shapes[key] = _Shape(queryset, alias, self._sentinel_values(alias, sentinels))
        return shape

    def _queryset(self, reader: Any, args: Sequence[Any], first: bool, window: tuple[int, int] | None) -> QuerySet[M]:
        queryset = self.build(reader, *args)
        if first:  # as QuerySet.first(): by primary key when not ordered, one row
            queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
        elif window is not None:
            queryset = queryset[window[0]:window[1]]
        return queryset

    def _bound(self, shape: _Shape, alias: str, user: Any, args: Sequence[Any]) -> list[Any]:
        connection = connections[alias]
        values: list[Any] = [None] * _ARGS
        if getattr(user, "is_authenticated", False):
            values[0] = User._meta.pk.get_db_prep_value(user.pk, connection)
            if user.unit_id is not None:
                values[1] = Unit._meta.pk.get_db_prep_value(user.unit_id, connection)
                values[2] = Country._meta.pk.get_db_prep_value(user.unit.country_id, connection)
                if user.unit.province_id is not None:
                    values[3] = Province._meta.pk.get_db_prep_value(user.unit.province_id, connection)
        values += [f.get_db_prep_value(f.to_python(a), connection) for f, a in zip(self.arg_fields, args, strict=True)]
        params = list(shape.params)
        for place, which in shape.slots:
            params[place] = values[which]
        return params

    def all(self, user: Any, *args: Any, first: bool = False, window: tuple[int, int] | None = None) -> list[M]:
        """The instances `build(user, *args)` would give; with `first`: as `.first()`, a list of at most one; with
        `window` (start, stop): as `build(user, *args)[start:stop]` (each window is a shape of its own, its limits
        written in the SQL as the ORM writes them: keep them few, e.g. a list's first pages)."""
        alias = router.db_for_read(self.model)
        shape = self._shape(alias, user, first, window)
        if shape.empty:
            if getattr(settings, "PREPARED_CHECK", False) and not self._queryset(user, args, first, window).query.is_empty():
                raise PreparedError(f"{self.name}: empty for the stand-in, not for this reader")
            return []
        params = self._bound(shape, alias, user, args)
        if getattr(settings, "PREPARED_CHECK", False):
            self._check(shape, alias, user, args, first, window, params)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            rows = cursor.fetchall()
        out: list[M] = []
        for raw in rows:
            row = list(raw)
            for pos, (convs, expression) in shape.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            obj = shape.model.from_db(alias, shape.init_list, row[shape.start:shape.end])
            for populator in shape.populators:
                populator.populate(row, obj)
            for attr, pos in shape.annotations:
                setattr(obj, attr, row[pos])
            out.append(obj)
        return out

    def first(self, user: Any, *args: Any) -> M | None:
        """As `build(user, *args).first()`: the first instance (by primary key unless ordered) or None."""
        found = self.all(user, *args, first=True)
        return found[0] if found else None

    def count(self, user: Any, *args: Any, limit: int | None = None) -> int:
        """As `build(user, *args).count()`; with `limit`, as `build(user, *args)[:limit].count()` (at most `limit`):
        `SELECT COUNT(*) FROM (<the rows' primary keys, unordered[, LIMIT limit]>)`, one row per row of the query
        (a `distinct()` query's rows are distinct by primary key)."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        key = (alias, connection.vendor, "count", limit, reader_shape(user))
        shape = self._shapes.get(key)
        if shape is None:
            sentinels = [_sentinel(f, i) for i, f in enumerate(self.arg_fields)]
            queryset = self._counted(stand_in(user), sentinels, limit)
            shape = self._shapes[key] = _Shape(queryset, alias, self._sentinel_values(alias, sentinels), counted=True)
        if getattr(settings, "PREPARED_CHECK", False):
            real = self._counted(user, args, limit)
            if real.query.is_empty() != shape.empty:
                raise PreparedError(f"{self.name}: empty for one of the stand-in and this reader, not the other")
        if shape.empty:
            return 0
        params = self._bound(shape, alias, user, args)
        if getattr(settings, "PREPARED_CHECK", False):
            sql, orm_params = real.query.get_compiler(using=alias).as_sql()
            sql = f"SELECT COUNT(*) FROM ({sql}) {connection.ops.quote_name('counted')}"  # noqa: S608 (as above)
            if sql != shape.sql or list(orm_params) != params:
                raise PreparedError(f"{self.name}: the bound count differs from the ORM's for this reader:\n"
                                    f"{shape.sql} {params}\n{sql} {list(orm_params)}")
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            return int(cursor.fetchone()[0])

    def values(self, user: Any, *args: Any) -> list[dict[str, Any]]:
        """As `list(build(user, *args))` for a query ending in `values(...)` (with or without `annotate` of
        aggregates, i.e. a GROUP BY): each row a dict of the names `values()` gives, each value through the
        converters the ORM applies. Under PREPARED_CHECK the ORM's SQL and parameters for this reader must be the
        bound ones (as `all`)."""
        alias = router.db_for_read(self.model)
        key = (alias, connections[alias].vendor, "values", reader_shape(user))
        shape = self._shapes.get(key)
        if shape is None:
            sentinels = [_sentinel(f, i) for i, f in enumerate(self.arg_fields)]
            queryset = self.build(stand_in(user), *sentinels)
            if queryset.query.is_empty():
                shape = _Shape(queryset, alias, [])
            else:
                if queryset._iterable_class is not ValuesIterable:
                    raise PreparedError(f"{self.name}: not a values() query")
                shape = _Shape(queryset, alias, self._sentinel_values(alias, sentinels), values=True)
            self._shapes[key] = shape
        if shape.empty:
            if getattr(settings, "PREPARED_CHECK", False) and not self.build(user, *args).query.is_empty():
                raise PreparedError(f"{self.name}: empty for the stand-in, not for this reader")
            return []
        params = self._bound(shape, alias, user, args)
        connection = connections[alias]
        if getattr(settings, "PREPARED_CHECK", False):
            sql, orm_params = self.build(user, *args).query.get_compiler(using=alias).as_sql()
            if sql != shape.sql or list(orm_params) != params:
                raise PreparedError(f"{self.name}: the bound statement differs from the ORM's for this reader:\n"
                                    f"{shape.sql} {params}\n{sql} {list(orm_params)}")
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            rows = cursor.fetchall()
        names, width = shape.names, shape.col_count
        out: list[dict[str, Any]] = []
        for raw in rows:
            row = list(raw[:width])
            for pos, (convs, expression) in shape.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            out.append(dict(zip(names, row, strict=True)))
        return out

    def _counted(self, reader: Any, args: Sequence[Any], limit: int | None) -> QuerySet:
        queryset = self.build(reader, *args).order_by().values_list("pk")
        return queryset if limit is None else queryset[:limit]

    def _sentinel_values(self, alias: str, sentinels: list[Any]) -> list[tuple[Any, int]]:
        connection = connections[alias]
        prepped = [(User._meta.pk.get_db_prep_value(_USER_ID, connection), 0),
                   (Unit._meta.pk.get_db_prep_value(_UNIT_ID, connection), 1),
                   (Country._meta.pk.get_db_prep_value(_COUNTRY, connection), 2),
                   (Province._meta.pk.get_db_prep_value(_PROVINCE, connection), 3)]
        return prepped + [(f.get_db_prep_value(s, connection), _ARGS + i)
                          for i, (f, s) in enumerate(zip(self.arg_fields, sentinels, strict=True))]

    def _check(self, shape: _Shape, alias: str, user: Any, args: Sequence[Any], first: bool,
               window: tuple[int, int] | None, params: list[Any]) -> None:
        sql, orm_params = self._queryset(user, args, first, window).query.get_compiler(using=alias).as_sql()
        if sql != shape.sql or list(orm_params) != params:
            raise PreparedError(f"{self.name}: the bound statement differs from the ORM's for this reader:\n"
                                f"{shape.sql} {params}\n{sql} {list(orm_params)}")



class PreparedIds:
    """A fixed-shape `values()` query over a list of ids (`build(reader, *ids)` filtering `field__in=ids`), compiled
    once per process, reader shape and *size*: the ids are padded to the smallest of `sizes` that holds them with
    `fillers` (values no row holds, distinct from each other: `__in` drops repeated values, which would change the
    statement's shape), and each size is a `Prepared` of its own. More ids than the largest size: `values` returns
    None (the caller uses the ORM). `fillers` must hold at least `max(sizes)` values; rows they found are the
    caller's to drop (none should exist). Under PREPARED_CHECK the bound statement is compared with the ORM's, the
    fillers included, as `Prepared.values`.

    `lead`: the fields of fixed arguments given before the ids (`build(reader, *lead_values, *ids)`; a case's id for
    its links between a page's entities)."""

    def __init__(self, name: str, model: type[Model], build: Callable[..., QuerySet[Any, Any]], field: Field,
                 sizes: Sequence[int], fillers: Sequence[Any], lead: Sequence[Field] = ()) -> None:
        if len(fillers) < max(sizes) or len(set(fillers)) != len(fillers):
            raise PreparedError(f"{name}: fewer distinct fillers than the largest size")
        self.sizes = sorted(sizes)
        self.fillers = list(fillers)
        self.lead = len(lead)
        self.by_size = {n: Prepared(f"{name}[{n}]", model, build, args=[*lead, *[field] * n]) for n in self.sizes}

    def values(self, user: Any, ids: Sequence[Any], *lead: Any) -> list[dict[str, Any]] | None:
        """As `list(build(user, *lead, *ids))` (rows as `values()` dicts), or None when `ids` outnumber the largest
        size. `ids` must be distinct and not among the fillers; `lead`: the values of the `lead` fields."""
        if len(lead) != self.lead:
            raise PreparedError(f"{len(lead)} leading arguments for {self.lead} fields")
        size = next((n for n in self.sizes if n >= len(ids)), None)
        if size is None:
            return None
        return self.by_size[size].values(user, *lead, *ids, *self.fillers[: size - len(ids)])
