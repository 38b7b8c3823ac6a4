"""The stored form of a row's stamps ({field: [site_idx, seq, hlc]}) and of ids on SQLite.

Stamps were JSON text, the largest part of a province file (issue #23): nearly every row was
written in one transaction, so all its fields carry the same stamp. Stored now as varints:

    mode (1 byte) · group count · per group: site_idx, seq, hlc, then (see below) its field names

- mode 0 ("row stamp"): the stamps cover exactly the table's data fields. The first group has no
  names: it is every field not named by a later group (a row written once is ~13 bytes).
- mode 1 ("named"): every group names its fields (a row whose stamps do not cover exactly the
  table's fields, or a type used without a table).
Names are UTF-8 with a varint length. Exceptions are rare, so short strings cost little and
keep a stored row readable whatever order columns get in later schemas; a column a later
migration adds reads, in mode 0, as stamped like the rest of the row (what 0009 did by hand).
An empty dict is stored as empty bytes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

ROW_STAMP, NAMED = 0, 1
MAX_GROUPS = 4096  # more fields than any table has: anything beyond is a damaged value


def _varint(out: bytearray, value: int) -> None:
    if value < 0:
        raise ValueError("stamps hold non-negative integers only")
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 70:
            raise ValueError("damaged stamps value")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _name(out: bytearray, name: str) -> None:
    raw = name.encode()
    _varint(out, len(raw))
    out += raw


def encode(stamps: dict[str, Sequence[int]] | None, fields: Collection[str] | None = None) -> bytes:
    """Bytes for `stamps`; `fields` (the table's data fields) allows the row-stamp mode."""
    if not stamps:
        return b""
    groups: dict[tuple[int, int, int], list[str]] = {}
    for name, stamp in stamps.items():
        site, seq, clock = stamp
        groups.setdefault((int(site), int(seq), int(clock)), []).append(name)
    out = bytearray()
    if fields is not None and len(stamps) == len(fields) and stamps.keys() == set(fields):
        common = max(groups, key=lambda key: len(groups[key]))
        out.append(ROW_STAMP)
        _varint(out, len(groups))
        for part in common:
            _varint(out, part)
        rest = [(k, v) for k, v in groups.items() if k != common]
    else:
        out.append(NAMED)
        _varint(out, len(groups))
        rest = list(groups.items())
    for key, names in rest:
        for part in key:
            _varint(out, part)
        _varint(out, len(names))
        for name in names:
            _name(out, name)
    return bytes(out)


def decode(data: bytes | None, fields: Sequence[str] | None = None) -> dict[str, list[int]]:
    if not data:
        return {}
    data = bytes(data)
    mode = data[0]
    if mode not in (ROW_STAMP, NAMED) or (mode == ROW_STAMP and fields is None):
        raise ValueError("damaged stamps value")
    count, pos = _read_varint(data, 1)
    if count > MAX_GROUPS:
        raise ValueError("damaged stamps value")
    result: dict[str, list[int]] = {}
    common: list[int] | None = None
    for index in range(count):
        stamp = []
        for _part in range(3):
            value, pos = _read_varint(data, pos)
            stamp.append(value)
        if mode == ROW_STAMP and index == 0:
            common = stamp
            continue
        length, pos = _read_varint(data, pos)
        for _name_index in range(length):
            size, pos = _read_varint(data, pos)
            if pos + size > len(data):
                raise ValueError("damaged stamps value")
            result[data[pos:pos + size].decode()] = list(stamp)
            pos += size
    if pos != len(data):
        raise ValueError("damaged stamps value")
    if common is not None and fields is not None:
        # In the table's order, as the stamps were written (bundles list them in this order).
        ordered = {f: result.get(f, list(common)) for f in fields}
        result = {**ordered, **{k: v for k, v in result.items() if k not in ordered}}
    return result


def decode_any(value: Any, fields: Sequence[str] | None = None) -> dict[str, list[int]]:
    """A stored value in either form: bytes (now) or JSON text (before 0013)."""
    if value is None:
        return {}
    if isinstance(value, str):
        import json

        return {k: list(v) for k, v in json.loads(value).items()}
    return decode(value, fields)
