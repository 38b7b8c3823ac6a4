"""The people search index on SQLite: an FTS5 trigram index over person.search_key.

`LIKE '%abc%'` cannot use a B-tree, so a search read all 300,000 people of a province on every
keystroke. FTS5's trigram tokenizer (SQLite >= 3.34) answers the same LIKE from an index for
words of three letters or more; shorter words keep the plain LIKE, which is fast exactly when
they match many people (the first page fills at once). The index stores no text of its own
(external content: the person table), so erasing a person's name erases it here too.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column, select, text

TABLE = "person_search"
MIN_WORD = 3  # trigrams: shorter words cannot be looked up in the index

_TRIGGERS = {
    "person_search_insert": f"""AFTER INSERT ON person BEGIN
        INSERT INTO {TABLE}(rowid, search_key) VALUES (new.rowid, new.search_key); END""",
    "person_search_delete": f"""AFTER DELETE ON person BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key); END""",
    "person_search_update": f"""AFTER UPDATE OF search_key ON person BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_key)
            VALUES ('delete', old.rowid, old.search_key);
        INSERT INTO {TABLE}(rowid, search_key) VALUES (new.rowid, new.search_key); END""",
}


def create_statements() -> list[str]:
    return [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='person', "
            "content_rowid='rowid', tokenize='trigram')",
            *[f"CREATE TRIGGER {name} {body}" for name, body in _TRIGGERS.items()],
            f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"]


def drop_statements() -> list[str]:
    return [*[f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS],
            f"DROP TABLE IF EXISTS {TABLE}"]


def contains_word(word: str) -> ColumnElement[bool] | None:
    """A condition "person.search_key contains word" answered by the index, or None where the
    index cannot answer (a short word, or LIKE's own wildcards in it)."""
    if len(word) < MIN_WORD or "%" in word or "_" in word:
        return None
    found = select(literal_column("rowid")).select_from(text(TABLE)).where(
        literal_column("search_key").like(f"%{word}%"))
    return literal_column("person.rowid").in_(found)


def repair_statements() -> list[str]:
    """Rebuild the index from the person table: after another tool ran VACUUM (rowids may
    change) or whenever the check below fails. Nothing is lost: the index holds no data."""
    return [f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"]


def check_statement() -> str:
    """Raises (SQLITE_CORRUPT_VTAB) when the index and the person table disagree."""
    return f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('integrity-check', 1)"
