"""Rows to and from bundle lines: strict JSON, every value checked against its column's type.

A line is {"id": uuid, "v": {field: value}, "s": {field: [site_id, seq, hlc]}, "c": {site_id: seq}}:
the current value of every field, its stamp, and the row's version vector (causal context).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import math
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from da8desktop.core import fields
from da8desktop.core.db import stamp_codec
from da8desktop.core.db.column_types import BinaryUuid, Stamps
from da8desktop.core.db.models import Activity, Attachment, SafeDeliverySupport, Synced
from da8desktop.core.db.models.attachments import OWNER_TABLES
from da8desktop.core.services.attachments import SHA256, file_name_problem

MAX_LINE = 1 << 20  # one record never needs a megabyte; a longer line is an attack or damage
MAX_INT = 1 << 63  # SQLite's INTEGER: a larger number would crash the write, not be refused
MAX_SEQ = 2**53 - 1  # change numbers (manifest.py uses the same bound)


class BadRecord(ValueError):
    """One record that cannot be applied; the reason is shown in the import summary."""


class BadData(ValueError):
    """A whole entry is unreadable (not JSON, invalid UTF-8, a giant line): reject the bundle."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; a duplicate shows as a shorter dict
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise BadData(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _no_constants(name: str) -> Any:
    raise BadData(f"{name} is not allowed")


# Built once: json.loads with options builds a new decoder at every call (one per record).
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def loads(data: bytes | str) -> Any:
    """json.loads without NaN/Infinity, duplicate keys or runaway nesting."""
    try:
        if type(data) is str and not data.startswith("\ufeff"):  # json.loads refuses a BOM
            return _DECODER.decode(data)
        return json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except RecursionError:
        raise BadData("nested too deeply") from None
    except BadData:
        raise
    except ValueError as exc:  # not JSON, not UTF-8, or a number of over 4,300 digits
        raise BadData(str(exc)) from None


# Built once: json.dumps with options builds a new encoder at every call (35,000 a full export).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                            allow_nan=False)


def _record(line: str) -> Any:
    """`loads(line)` for a line that is one JSON object and nothing else (every line of a
    bundle written by this program): the decoder's scanner, with the same hooks (duplicate
    keys, constants), called directly rather than through two Python frames and two
    whitespace matches per record. Anything else (whitespace, a BOM, extra data, an error of
    any kind) goes through `loads`, which gives the same value or the same refusal."""
    try:
        if line[:1] == "{":
            value, end = _SCAN(line, 0)
            if end == len(line):
                return value
    except Exception:  # noqa: BLE001 - loads below says what is wrong, in its own words
        pass
    return loads(line)


_SCAN = _DECODER.scan_once


def dumps(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 as is, no NaN."""
    return _ENCODER.encode(value)


def read_lines(data: bytes) -> list[Any]:
    """Parse an NDJSON entry strictly."""
    return list(iter_lines(data))


def iter_lines(data: bytes) -> Iterator[Any]:
    """Parse an NDJSON entry strictly, one record at a time: the importer decodes each record
    as it comes and keeps no list of parsed JSON (a commune bundle's was most of an import's
    memory), nor a second copy of the entry as text. Each line must be UTF-8 (a bad byte
    anywhere refuses the entry, and with it the bundle, before anything is applied)."""
    start, number, end = 0, 0, len(data)
    while start < end:
        stop = data.find(b"\n", start)
        if stop < 0:
            stop = end
        number += 1
        if stop - start > 4 * MAX_LINE:  # never more than 4 bytes a character: not decoded
            raise BadData(f"line {number} is longer than {MAX_LINE} characters")
        if stop > start:
            try:
                line = data[start:stop].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadData(f"invalid UTF-8 at byte {start + exc.start}") from None
            if len(line) > MAX_LINE:
                raise BadData(f"line {number} is longer than {MAX_LINE} characters")
            yield _record(line)
        start = stop + 1


# -- values -------------------------------------------------------------------------------------
def encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def decode_value(column: sa.Column[Any], value: Any) -> Any:
    """The Python value for `column`, or BadRecord. Types are checked strictly: a bundle comes
    from another program and may have been tampered with."""
    return _decoder(column)(value)


# A reference column's ids: a commune's 30,000 attendance rows name its 2,000 people and 1,500
# meetings over and over. One UUID object per id, not per mention (memory, and parsing).
_reference = functools.lru_cache(maxsize=16384)(uuid.UUID)


def _decoder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """A function checking and converting one column's values, chosen once per column rather
    than by testing the column's type for each of an import's 250,000 values."""
    kind, key, nullable = column.type, column.key, column.nullable
    declared = fields.rule(column.table.name, key)  # the same rule the commune's forms apply
    convert: Callable[[Any], Any]
    if isinstance(kind, (sa.Uuid, BinaryUuid)):
        def convert(value: Any) -> Any:
            if type(value) is not str:
                raise TypeError
            return _reference(value)
    elif isinstance(kind, sa.DateTime):
        convert = dt.datetime.fromisoformat
    elif isinstance(kind, sa.Date):
        def convert(value: Any) -> Any:
            if type(value) is not str or len(value) != 10:
                raise TypeError
            return dt.date.fromisoformat(value)
    elif isinstance(kind, sa.Boolean):
        def convert(value: Any) -> Any:
            if type(value) is not bool:
                raise TypeError
            return value
    elif isinstance(kind, sa.Integer):
        # The column's own width: SQLite stores any 64-bit number, PostgreSQL fails the whole
        # import on a 16- or 32-bit column (an error that is not a refusal of one record).
        bits = 16 if isinstance(kind, sa.SmallInteger) else (
            64 if isinstance(kind, sa.BigInteger) else 32)
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

        def convert(value: Any) -> Any:
            if type(value) is not int:  # JSON gives int, bool or float
                raise TypeError
            if not low <= value <= high:
                raise BadRecord(f"{key} is out of range")
            return value
    elif isinstance(kind, sa.Numeric):
        digits = (kind.precision or 18) - (kind.scale or 0)
        bound = min(float(10 ** digits), float(MAX_INT))

        def convert(value: Any) -> Any:
            # isfinite() of a whole number of some 400 digits raises OverflowError: only a
            # float can be infinite or NaN, an int of any size is then refused by its bound.
            if type(value) not in (int, float) or (type(value) is float
                                                    and not math.isfinite(value)):
                raise TypeError
            if abs(value) >= bound:
                raise BadRecord(f"{key} is out of range")
            return value
    elif isinstance(kind, sa.String):  # Text is a String
        length = kind.length

        def convert(value: Any) -> Any:
            if type(value) is not str:
                raise TypeError
            if length is not None and len(value) > length and declared is None:
                raise BadRecord(f"{key} is longer than {length} characters")
            return value
    elif isinstance(kind, sa.JSON):
        def convert(value: Any) -> Any:
            if type(value) not in (list, dict):
                raise TypeError
            return value
    else:
        def convert(value: Any) -> Any:
            raise BadRecord(f"{key}: unsupported column type")

    def decode(value: Any) -> Any:
        if value is None:
            if not nullable:
                raise BadRecord(f"{key} is required")
            return None
        try:
            decoded = convert(value)
        except BadRecord:
            raise
        except (TypeError, ValueError, AttributeError):
            raise BadRecord(f"{key} has a value of the wrong type") from None
        problem = declared.problem(decoded) if declared is not None else None
        if problem is not None:  # named in plain words: it travels back to the commune
            raise BadRecord(problem.message())
        return decoded

    return decode


# -- rows ---------------------------------------------------------------------------------------
def encode_row(row: Any, site_ids: dict[int, str], context: dict[str, int],
               fields: list[str] | None = None) -> dict[str, Any]:
    """One line of a bundle from a row (an ORM object or a plain row with the same names)."""
    return {
        "id": str(row.id),
        "v": {f: encode_value(getattr(row, f)) for f in fields or type(row).data_fields()},
        "s": {f: [site_ids[s[0]], s[1], s[2]] for f, s in (row.stamps or {}).items()},
        "c": context,
    }


def _id_text(value: Any) -> str:
    """An id as stored (16 bytes on SQLite, a UUID from PostgreSQL's driver) as str(uuid)."""
    if type(value) is bytes and len(value) == 16:
        h = value.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(BinaryUuid().process_result_value(value, None))


def _one_stamp(data: Any) -> tuple[int, int, int] | None:
    """(site_idx, seq, hlc) when stored stamps are one row stamp covering every field (a row
    written once: most rows), else None (stamp_codec.decode reads the rest)."""
    if type(data) is not bytes or len(data) < 5 or data[0] != stamp_codec.ROW_STAMP \
            or data[1] != 1:
        return None
    pos, end, parts = 2, len(data), []
    for _part in range(3):
        value = shift = 0
        while True:
            if pos >= end:
                return None
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        parts.append(value)
    return (parts[0], parts[1], parts[2]) if pos == end else None


class LineWriter:
    """Bundle lines of one table straight from its stored values (issue 23, P7a): ids from
    their bytes, stamps from their stored form (each distinct value decoded once), no ORM type
    decoding, one JSON encoding per row. The text is `dumps(encode_row(...))` exactly.

    `columns` is what to select (id, the data fields, stamps; ids, dates and stamps as the
    driver gives them); `line(row, context)` gives the line's text and its values."""

    def __init__(self, model: type[Synced], dialect: sa.Dialect, site_ids: dict[int, str]) -> None:
        table = model.__table__
        self.fields = model.data_fields()
        self.site_ids = site_ids
        stamps_type = table.c.stamps.type
        assert isinstance(stamps_type, Stamps)
        self.stamp_fields = stamps_type._fields()
        raw = sa.types.NullType()
        columns: list[Any] = [sa.type_coerce(table.c.id, raw).label("id")]
        self.converted: list[tuple[int, Callable[[Any], Any]]] = []
        date_processor = sa.Date().dialect_impl(dialect).result_processor(dialect, None)
        for index, name in enumerate(self.fields):
            column = table.c[name]
            if isinstance(column.type, (sa.Uuid, BinaryUuid)):
                columns.append(sa.type_coerce(column, raw).label(name))
                self.converted.append((index, _id_text))
            elif isinstance(column.type, sa.Date) and not isinstance(column.type, sa.DateTime):
                columns.append(sa.type_coerce(column, raw).label(name))
                self.converted.append((index, functools.partial(_date_text, date_processor)))
            elif isinstance(column.type, sa.DateTime):
                self.converted.append((index, encode_value))
                columns.append(column)
            else:
                columns.append(column)  # the type's own (C) processing: bool, JSON, numbers
        columns.append(sa.type_coerce(table.c.stamps, raw).label("stamps"))
        self.columns = columns
        self._stamps: dict[Any, str] = {}
        if self.stamp_fields is not None:
            names = sorted(self.stamp_fields)
            self._template = ["{" + dumps(names[0]) + ":"] + [
                "," + dumps(name) + ":" for name in names[1:]] + ["}"] if names else None
        else:
            self._template = None

    def stamps_text(self, stored: Any) -> str:
        if isinstance(stored, memoryview):
            stored = bytes(stored)
        text = self._stamps.get(stored)
        if text is None:
            one = _one_stamp(stored) if self._template is not None else None
            if one is not None:
                stamp = dumps([self.site_ids[one[0]], one[1], one[2]])
                text = stamp.join(self._template)
            else:
                stamps = stamp_codec.decode_any(stored, self.stamp_fields)
                text = dumps({f: [self.site_ids[s[0]], s[1], s[2]] for f, s in stamps.items()})
            self._stamps[stored] = text
        return text

    def line(self, row: Any, context: dict[str, int]) -> tuple[str, dict[str, Any]]:
        values = list(row[1:-1])
        for index, convert in self.converted:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        named = dict(zip(self.fields, values))
        # Keys in sorted order as dumps writes them: c, id, s, v.
        return (f'{{"c":{dumps(context)},"id":"{_id_text(row[0])}","s":'
                f'{self.stamps_text(row[-1])},"v":{dumps(named)}}}', named)


def _date_text(processor: Callable[[Any], Any] | None, value: Any) -> str:
    if type(value) is str and len(value) == 10:
        return value  # SQLite's stored form is the ISO date
    if isinstance(value, str) and processor is not None:
        value = processor(value)
    return str(value.isoformat())


def _stamp(value: Any) -> tuple[str, int, int]:
    # `type(x) is int` rejects JSON's true/false, which isinstance(x, int) would let through.
    if type(value) is not list or len(value) != 3:
        raise BadRecord("malformed stamp")
    site, seq, hlc = value
    if type(site) is not str or type(seq) is not int or type(hlc) is not int \
            or not 0 <= seq <= MAX_SEQ or not 0 <= hlc < MAX_INT:
        raise BadRecord("malformed stamp")
    return _site(site), seq, hlc


def _stamps(stamps_in: dict[str, Any]
            ) -> tuple[dict[str, tuple[str, int, int]], tuple[str, int, int] | None]:
    """Every field's stamp checked as `_stamp` does; the fields of a row written together
    share one stamp, so they share one tuple too (a row's dozen stamps are mostly one write).
    Also that stamp, when it is the only one."""
    given = list(stamps_in.values())
    first = given[0] if given else None
    # Most rows: every field stamped by one write. All equal to the first, and no value of any
    # stamp but text and whole numbers (JSON's true and 1.0 equal 1 in Python, so the types
    # are checked too: an element equal to the first's text is text, one equal to its numbers
    # is then an int): the same checks as the loop below, in C.
    if type(first) is list and len(first) == 3 and type(first[0]) is str \
            and type(first[1]) is int and type(first[2]) is int \
            and given.count(first) == len(given) \
            and set(map(type, itertools.chain.from_iterable(given))) == _TEXT_AND_INT:
        stamp = _stamp(first)
        return dict.fromkeys(stamps_in, stamp), stamp
    stamps: dict[str, tuple[str, int, int]] = {}
    known: dict[tuple[str, int, int], tuple[str, int, int]] = {}
    for name, value in stamps_in.items():
        if type(value) is not list or len(value) != 3:
            raise BadRecord("malformed stamp")
        site, seq, hlc = value
        if type(site) is not str or type(seq) is not int or type(hlc) is not int:
            raise BadRecord("malformed stamp")  # types first: True must not pass as 1 below
        key = (site, seq, hlc)
        stamp = known.get(key)
        if stamp is None:
            stamp = known[key] = _stamp(value)
        stamps[name] = stamp
    return stamps, (next(iter(known.values())) if len(known) == 1 else None)


_TEXT_AND_INT = {str, int}
_INT = {int}


@functools.lru_cache(maxsize=4096)
def _site(text: str) -> str:
    """A site id in canonical form. Cached: a bundle names a handful of sites in every stamp
    of every row (hundreds of thousands of times), and parsing each one was a tenth of an import."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise BadRecord("malformed stamp") from None


def _attachment_problem(values: dict[str, Any]) -> str | None:
    """An attachment's hash, name and owner become a file path and a table name: each must
    have its strict form before anything uses it (a hash holding a path read any file)."""
    if not SHA256.fullmatch(values["sha256"]):
        return "sha256 is not 64 lowercase hexadecimal digits"
    if values["owner_table"] not in OWNER_TABLES:
        return "owner_table is not a group or an activity"
    return file_name_problem(values["file_name"])


LEGACY_UNIT = re.compile(r"pre2025:commune:[0-9]{5}")


def _legacy_unit_problem(values: dict[str, Any]) -> str | None:
    """A record's former unit is a pre-2025 commune, nothing else (issue 20 item 8); that it
    was merged into the record's commune is checked by the service where it is entered."""
    key = values.get("legacy_unit_key")
    if key is not None and not LEGACY_UNIT.fullmatch(key):
        return "legacy_unit_key is not a former (pre-2025) commune"
    return None


def _activity_problem(values: dict[str, Any]) -> str | None:
    """A typed ethnic split is a small map of catalogue keys to whole numbers within the total:
    reports read it as such (issue 20)."""
    legacy = _legacy_unit_problem(values)
    if legacy:
        return legacy
    split = values.get("count_by_ethnic")
    if split is None:
        return None
    total = values.get("count_total") or 0
    if not isinstance(split, dict) or len(split) > 60 or any(
            not isinstance(k, str) or len(k) > 80 or type(v) is not int or not 0 <= v <= total
            for k, v in split.items()) or sum(split.values()) > total:
        return "count_by_ethnic is not a split of count_total by ethnic group"
    return None


# Checks of a whole decoded row beyond its columns' types, per model.
ROW_CHECKS: dict[type[Synced], Callable[[dict[str, Any]], str | None]] = {
    Attachment: _attachment_problem,
    Activity: _activity_problem,
    SafeDeliverySupport: _legacy_unit_problem,
}


@functools.lru_cache(maxsize=None)
def _shape(model: type[Synced]) -> tuple[dict[str, Callable[[Any], Any]], frozenset[str],
                                         Callable[[dict[str, Any], dict[str, Any]], None]]:
    decoders = {c.key: _decoder(c) for c in model.__table__.columns}
    fields = frozenset(model.data_fields())
    return decoders, fields, _compiled([c for c in model.__table__.columns if c.key in fields])


class _Slow(Exception):
    """A value the compiled check does not pass: the column's own decoder says why."""


def _compiled(columns: list[sa.Column[Any]]) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """The checks of `_decoder`, for every column of a table at once, as one function of
    straight-line code (no call per value): it converts a row's ids and dates in `values`
    (a copy of the record's values) and raises `_Slow` at the first value it does not pass,
    so that `decode_row` runs the columns' own decoders, in the record's order, for the same
    refusal word for word. It passes only what they pass: the same types, bounds, lengths
    and declared rules (fields.rule), the same conversions. The code is made from the
    schema's own column names and types, never from anything in a bundle."""
    names: dict[str, Any] = {"_Slow": _Slow, "_reference": _reference, "_isfinite": math.isfinite,
                             "_datetime": dt.datetime.fromisoformat,
                             "_date": dt.date.fromisoformat}
    lines = ["def check(given, values):"]
    for number, column in enumerate(columns):
        kind, key = column.type, column.key
        declared = fields.rule(column.table.name, key)
        x, rule = f"x{number}", f"rule{number}"
        lines.append(f"    {x} = given[{key!r}]")
        if not column.nullable:
            lines.append(f"    if {x} is None: raise _Slow")
        body: list[str] = []
        converted = False
        if isinstance(kind, (sa.Uuid, BinaryUuid)):
            body = [f"if type({x}) is not str: raise _Slow", f"{x} = _reference({x})"]
            converted = True
        elif isinstance(kind, sa.DateTime):
            body = [f"{x} = _datetime({x})"]
            converted = True
        elif isinstance(kind, sa.Date):
            body = [f"if type({x}) is not str or len({x}) != 10: raise _Slow", f"{x} = _date({x})"]
            converted = True
        elif isinstance(kind, sa.Boolean):
            body = [f"if type({x}) is not bool: raise _Slow"]
        elif isinstance(kind, sa.Integer):
            bits = 16 if isinstance(kind, sa.SmallInteger) else (
                64 if isinstance(kind, sa.BigInteger) else 32)
            low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
            body = [f"if type({x}) is not int or not {low} <= {x} <= {high}: raise _Slow"]
        elif isinstance(kind, sa.Numeric):
            digits = (kind.precision or 18) - (kind.scale or 0)
            bound = min(float(10 ** digits), float(MAX_INT))
            names[f"bound{number}"] = bound
            body = [f"if type({x}) not in (int, float) or (type({x}) is float and not "
                    f"_isfinite({x})) or abs({x}) >= bound{number}: raise _Slow"]
        elif isinstance(kind, sa.String):  # Text is a String
            if kind.length is not None and declared is None:
                body = [f"if type({x}) is not str or len({x}) > {int(kind.length)}: raise _Slow"]
            else:
                body = [f"if type({x}) is not str: raise _Slow"]
        elif isinstance(kind, sa.JSON):
            body = [f"if type({x}) is not list and type({x}) is not dict: raise _Slow"]
        else:
            body = ["raise _Slow"]
        if declared is not None:
            names[rule] = declared.problem
            body.append(f"if {rule}({x}) is not None: raise _Slow")
        if converted:
            body.append(f"values[{key!r}] = {x}")
        lines.append(f"    if {x} is not None:")
        lines.extend(f"        {line}" for line in body)
    lines.append("    return None")
    exec("\n".join(lines), names)  # code made from the schema, see above
    check: Callable[[dict[str, Any], dict[str, Any]], None] = names["check"]
    return check


_RECORD_KEYS = frozenset({"id", "v", "s", "c"})
_CONTEXT = object()  # memo keys of a record's context as written (decode_row)


def decode_row(model: type[Synced], record: Any, memo: dict[Any, Any] | None = None
               ) -> tuple[uuid.UUID, dict[str, Any], dict[str, tuple[str, int, int]],
                          dict[str, int]]:
    """(id, values, stamps, context) of one line, or BadRecord. With `memo` (one per bundle),
    rows written in one transaction share one stamps dict and one context dict: a meeting's
    attendance, a village's people. Nobody changes them: the merge only reads them."""
    if not isinstance(record, dict) or record.keys() != _RECORD_KEYS:
        raise BadRecord("malformed record")
    try:
        row_id = uuid.UUID(record["id"])
    except (ValueError, TypeError, AttributeError):
        raise BadRecord("malformed id") from None
    values_in, stamps_in, context_in = record["v"], record["s"], record["c"]
    if not isinstance(values_in, dict) or not isinstance(stamps_in, dict) or not isinstance(context_in, dict):
        raise BadRecord("malformed record")
    decoders, fields, compiled = _shape(model)
    if values_in.keys() != fields or stamps_in.keys() != fields:
        raise BadRecord("fields differ from this version's table")
    values = dict(values_in)
    try:
        compiled(values_in, values)
    except Exception:  # noqa: BLE001 - a value it does not pass: the decoders say why, in order
        values = {name: decoders[name](value) for name, value in values_in.items()}
    check = ROW_CHECKS.get(model)
    if check is not None:
        problem = check(values)
        if problem:
            raise BadRecord(problem)
    stamps, one = _stamps(stamps_in)
    # A context as written, checked once per bundle: rows of one write repeat it. Only when
    # every number is an int (JSON's true and 1.0 equal 1 in Python: they are never taken for
    # a context checked before); site ids are text, as every JSON key is.
    written = None
    if memo is not None and (not context_in or set(map(type, context_in.values())) == _INT):
        written = (_CONTEXT, tuple(context_in.items()))
    context = memo.get(written) if written is not None else None
    if context is None:
        context = {}
        for site, seq in context_in.items():
            context[_stamp([site, seq, 0])[0]] = seq
        if written is not None:
            memo[written] = context = memo.setdefault(
                tuple(context.items()), context)
    # Every field's stamp within the version vector: once when one write stamped them all.
    for site, seq, _hlc in ((one,) if one is not None else stamps.values()):
        if context.get(site, 0) < seq:
            raise BadRecord("stamp outside the row's version vector")
    if memo is not None:
        if one is not None:  # every field of the row stamped by one write
            stamps = memo.setdefault((model, one), stamps)
        if written is None:  # else the memo's own already
            context = memo.setdefault(tuple(context.items()), context)
    return row_id, values, stamps, context
