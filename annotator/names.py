"""Name matching and the registry's name rules, defined once for the service and the set importer.

Names and aliases are matched by :func:`name_key` (NFKC, case-folded, single spaces). An alias is
unique across the registry and is never another source's name: :func:`find_alias_clash` finds the
alias that would break either rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.canonical import name_key
from annotator.db import chunks
from annotator.model import Source, SourceAlias


def wanted_aliases(aliases: Iterable[str], name: str) -> dict[str, str]:
    """The aliases worth keeping for a source called ``name``, by key: stripped, non-empty, not the
    name itself, the first spelling of each key."""
    own = name_key(name)
    wanted: dict[str, str] = {}
    for alias in aliases:
        alias = alias.strip()
        if alias and name_key(alias) != own:
            wanted.setdefault(name_key(alias), alias)
    return wanted


@dataclass(frozen=True)
class AliasClash:
    """An alias another source already has, as an alias (``is_name`` False) or as its name."""

    alias: str
    source_id: int
    source_name: str
    is_name: bool


def find_alias_clash(
    session: Session, aliases: Mapping[str, str], *, source_id: int | None = None
) -> AliasClash | None:
    """The first of ``aliases`` (key -> alias, in order) that a source other than ``source_id``
    holds as an alias, or as its name (checked in that order); None when every alias is free."""
    taken: dict[str, tuple[int, str]] = {}
    named: dict[str, tuple[int, str]] = {}
    for chunk in chunks(aliases):
        stmt = (
            select(SourceAlias.alias_key, Source.id, Source.name)
            .join(Source, Source.id == SourceAlias.source_id)
            .where(SourceAlias.alias_key.in_(chunk))
        )
        named_stmt = select(Source.name_key, Source.id, Source.name).where(Source.name_key.in_(chunk))
        if source_id is not None:
            stmt = stmt.where(Source.id != source_id)
            named_stmt = named_stmt.where(Source.id != source_id)
        for key, sid, name in session.execute(stmt):
            taken.setdefault(key, (sid, name))
        for key, sid, name in session.execute(named_stmt.order_by(Source.id)):
            named.setdefault(key, (sid, name))
    for key, alias in aliases.items():
        if key in taken:
            return AliasClash(alias, *taken[key], is_name=False)
        if key in named:
            return AliasClash(alias, *named[key], is_name=True)
    return None
