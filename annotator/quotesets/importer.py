"""Import a quote set into the database, all or nothing, on the service API
(:meth:`Service.operation`).

**Import** (:func:`import_set`) reads and checks the whole file first (:func:`read_quoteset`:
hostile and invalid files are refused before the database is touched), then matches it against
the database and writes it in ONE operation, every created row audited; all or nothing:

* articles are matched by the SHA-256 of their text, else created with the set's uid;
* sources are matched by uid, then (except anonymous sources, which are never matched by name:
  "a Turkish official" in two articles need not be the same person) by name or alias among
  sources of the same kind; several candidates is a conflict, not a guess. Otherwise they are
  created with the set's uid. A matched source keeps its local fields;
* quotes are matched by uid: the same chain (article, span, type, cue, speaker, hops) is
  "unchanged" and keeps its local status; a different chain is a conflict. New quotes are created
  with the set's uid, creator, timestamps and status fields, and their sign-offs become review
  rows (reviewer, time, verdict, comment and chain hash preserved).

Any conflict refuses the whole import (:class:`ImportConflictError`, carrying the report) unless
``on_conflict="skip"``, which leaves out the conflicting items and everything that depends on them.
``dry_run=True`` runs the same matching and writes, then rolls back, and returns the report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator import anchoring, audit, validation
from annotator.canonical import is_canonical
from annotator.db import chunks
from annotator.errors import ConflictError, QuoteSetError, ValidationError
from annotator.model import (
    Article,
    AuditEntry,
    ExternalId,
    Hop,
    Quote,
    Review,
    Source,
    SourceAlias,
    SourceKind,
    Status,
    Verdict,
)
from annotator.names import find_alias_clash, name_key
from annotator.quotesets.model import (
    ON_CONFLICT,
    QuoteSet,
    SetArticle,
    SetHeader,
    SetQuote,
    SetSource,
)
from annotator.quotesets.xmlformat import read_quoteset
from annotator.records import (
    HopRecord,
    QuoteRecord,
    Record,
    ReviewRecord,
    SourceRecord,
    article_record,
    load_quote_records,
)
from annotator.service import Service, chain_sha256

log = logging.getLogger(__name__)

IMPORT_ACTION = "import quote set"

_QUOTE_BATCH = 1000
"""Quotes read or written per round trip."""


KINDS = ("source", "article", "quote", "signoff")


@dataclass(frozen=True)
class Conflict:
    """Something in the set that disagrees with the database or cannot be stored in it."""

    kind: str
    """``source``, ``article`` or ``quote``."""
    id: str
    """The item's id in the set."""
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.reason}"


@dataclass(frozen=True)
class Match:
    """An item of the set that is already in the database."""

    id: str
    """The item's id in the set."""
    local_id: int
    how: str
    """``uid``, ``name`` or ``alias`` (sources), ``text`` (articles, by SHA-256), ``uid`` (quotes)."""


@dataclass
class ImportSetReport:
    """What :func:`import_set` did, or would do (dry run), or refused to do."""

    path: Path
    dry_run: bool = False
    on_conflict: str = "refuse"
    header: SetHeader | None = None
    added: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    """Set ids of the items created, per kind (sign-offs as ``QUOTE-ID#N``, N from 1)."""
    matched: dict[str, list[Match]] = field(default_factory=lambda: {k: [] for k in KINDS})
    """Items already in the database (quotes: with the same chain), per kind."""
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Conflict] = field(default_factory=list)
    """With ``on_conflict="skip"``: the items left out, each with the reason."""
    notes: list[str] = field(default_factory=list)
    """Things worth knowing that are not conflicts (local fields kept, defaults filled in)."""
    audit_seq: int | None = None
    """The last audit entry the import wrote (``None``: nothing written)."""

    @property
    def refused(self) -> bool:
        return bool(self.conflicts) and self.on_conflict == "refuse"

    @property
    def written(self) -> bool:
        return self.audit_seq is not None

    def counts(self) -> dict[str, dict[str, int]]:
        skipped: dict[str, int] = defaultdict(int)
        for c in self.skipped:
            skipped[c.kind] += 1
        return {
            k: {"added": len(self.added[k]), "matched": len(self.matched[k]), "skipped": skipped[k]}
            for k in KINDS
        }

    def summary(self, *, limit: int = 20) -> str:
        """A few lines for people: the outcome, counts per kind, conflicts and notes (the first ``limit``)."""
        n = len(self.conflicts)
        if self.refused:
            plural = "s" if n != 1 else ""
            head = f"{self.path.name}: refused, nothing was written: {n} conflict{plural}"
            if self.dry_run:
                head = f"{self.path.name}: dry run: the import would be refused: {n} conflict{plural}"
        elif self.dry_run:
            head = f"{self.path.name}: dry run, nothing was written; the import would make these changes"
        elif self.written:
            head = f"{self.path.name}: imported (audit log up to entry #{self.audit_seq})"
        else:
            head = f"{self.path.name}: nothing to import, everything in the set is already here"
        verb = "would be added" if self.dry_run or self.refused else "added"
        counts = self.counts()
        lines = [head]

        def by_how(kind: str) -> str:
            hows: dict[str, int] = defaultdict(int)
            for m in self.matched[kind]:
                hows[m.how] += 1
            return ", ".join(f"{v} by {k}" for k, v in sorted(hows.items()))

        labels = {"quote": "quotes", "signoff": "sign-offs", "article": "articles", "source": "sources"}
        for kind in ("quote", "signoff", "article", "source"):
            c = counts[kind]
            text = f"  {labels[kind] + ':':11}{c['added']} {verb}"
            if kind == "quote":
                text += f", {c['matched']} already here (same chain)"
            elif kind != "signoff":
                text += f", {c['matched']} already here" + (f" ({by_how(kind)})" if c["matched"] else "")
            if c["skipped"]:
                text += f", {c['skipped']} skipped"
            lines.append(text)
        for title, items in (("conflicts", self.conflicts), ("skipped", self.skipped), ("notes", self.notes)):
            if not items:
                continue
            lines.append(f"{title}:")
            lines.extend(f"  {item}" for item in items[:limit])
            if len(items) > limit:
                lines.append(f"  … and {len(items) - limit} more")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "dry_run": self.dry_run,
            "on_conflict": self.on_conflict,
            "refused": self.refused,
            "written": self.written,
            "audit_seq": self.audit_seq,
            "counts": self.counts(),
            "added": self.added,
            "matched": {k: [dataclasses.asdict(m) for m in v] for k, v in self.matched.items()},
            "conflicts": [dataclasses.asdict(c) for c in self.conflicts],
            "skipped": [dataclasses.asdict(c) for c in self.skipped],
            "notes": self.notes,
        }


def set_chain_sha256(q: SetQuote) -> str:
    """The hash a reviewer signed for this quote's chain before article versions existed, computed
    from the set itself (offsets: set ids are the exporting database's uids). Sign-offs made before
    versions carry this hash; :func:`set_chain_hashes` gives both definitions."""
    return chain_sha256(
        {
            "article": q.article,
            "span": [q.start, q.end],
            "type": q.type,
            "cue": list(q.cue) if q.cue else None,
            "speaker": q.speaker,
            "hops": [
                {
                    "source": h.source,
                    "relation": h.relation,
                    "evidence": list(h.evidence) if h.evidence else None,
                }
                for h in q.hops
            ],
        }
    )


def set_chain_hashes(q: SetQuote, article: SetArticle | None) -> tuple[str, ...]:
    """Every hash an approval of this quote's chain may carry: :func:`set_chain_sha256` (sign-offs
    made before versions) and, with the quote's article, :func:`annotator.service.portable_chain`'s
    (the lineage's uid and the words of the quote, cue and evidence: sign-offs made since)."""
    old = set_chain_sha256(q)
    if article is None:
        return (old,)
    text = article.text

    def words(span: tuple[int, int] | None) -> str | None:
        return text[span[0] : span[1]] if span else None

    new = chain_sha256(
        {
            "article": article.version_of or article.id,
            "quote": q.text,
            "type": q.type,
            "cue": words(q.cue),
            "speaker": q.speaker,
            "hops": [
                {"source": h.source, "relation": h.relation, "evidence": words(h.evidence)} for h in q.hops
            ],
        }
    )
    return (new, old)


def _listed(span: tuple[int, int] | None) -> list[int] | None:
    return list(span) if span else None


def _unverified_reason(q: SetQuote, article: SetArticle | None = None) -> str | None:
    """Why a quote the set says is verified cannot arrive verified (the app's own rules: a speaker,
    and an approval whose chain hash is the hash of the chain in the file, by either definition:
    :func:`set_chain_hashes`), or None."""
    if q.status != Status.VERIFIED.value:
        return None
    if q.speaker is None:
        return "it has no speaker, and a chain without a speaker cannot be approved"
    approvals = [so for so in q.signoffs if so.verdict == Verdict.APPROVE.value]
    if not approvals:
        return "it has no approve sign-off"
    expected = set_chain_hashes(q, article)
    if not any(so.chain_sha256 in expected for so in approvals):
        return (
            f"no approve sign-off is for the chain in the file (its hash is {expected[0][:12]}…, "
            f"the sign-offs' {', '.join(so.chain_sha256[:12] + '…' for so in approvals)})"
        )
    return None


class ImportConflictError(ConflictError):
    """An import refused because of conflicts; nothing was written. ``report`` lists them."""

    def __init__(self, report: ImportSetReport) -> None:
        n = len(report.conflicts)
        first = report.conflicts[0]
        more = f" (and {n - 1} more)" if n > 1 else ""
        super().__init__(
            f"{report.path}: import refused, nothing was written: {n} conflict{'s' if n != 1 else ''}: "
            f"{first}{more}"
        )
        self.report = report


class _Rollback(Exception):
    """Raised inside the operation to roll it back (dry run, refusal)."""


def import_set(
    service: Service, path: str | Path, *, dry_run: bool = False, on_conflict: str = "refuse"
) -> ImportSetReport:
    """Import an XML quote set into the service's database, all or nothing (see the module docstring).

    The file is read and checked completely first: a hostile, invalid or inconsistent file raises
    :class:`~annotator.errors.QuoteSetError` (file, line, reason) and the database is not touched.
    Conflicts raise :class:`ImportConflictError` with the report, nothing written, unless
    ``on_conflict="skip"``. ``dry_run`` returns the report of what would change (conflicts
    included, without raising) and writes nothing.
    """
    path = Path(path)
    if on_conflict not in ON_CONFLICT:
        raise ValidationError(f"unknown on_conflict {on_conflict!r}: use refuse or skip")
    quote_set = read_quoteset(path)
    report = ImportSetReport(path=path, dry_run=dry_run, on_conflict=on_conflict, header=quote_set.header)
    try:
        with service.operation(IMPORT_ACTION) as op:
            _Importer(service, op, quote_set, report).run()
            if dry_run or report.refused:
                raise _Rollback
            op.extra["report"] = report
    except _Rollback:
        pass
    else:
        report.audit_seq = op.result.audit_seq
    if report.refused and not dry_run:
        raise ImportConflictError(report)
    log.info("import of %s: %s", path, report.counts())
    return report


_NEW = "new"  # placeholder for a source or article the import creates: never equal to a local id


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


_FREE_TEXT = frozenset({"note", "comment"})
"""Columns of free text (several lines allowed); every other value is a name."""


class _Importer:
    """The matching and writing of one import, inside one operation."""

    def __init__(self, service: Service, op: Any, qs: QuoteSet, report: ImportSetReport) -> None:
        self.service = service
        self.op = op
        self.s: Session = op.session
        self.qs = qs
        self.report = report
        # set id -> local id (int) for matched items; _NEW-tagged tuples for items to create.
        self.sources: dict[str, Any] = {}
        self.articles: dict[str, Any] = {}
        self.new_sources: list[SetSource] = []
        self.new_articles: list[SetArticle] = []
        self.new_quotes: list[SetQuote] = []
        self.conflicted: dict[str, set[str]] = {"source": set(), "article": set(), "quote": set()}
        self.held_back: list[tuple[str, str]] = []
        """Quotes already here whose article or a chain source conflicts: (set id, reason)."""
        self.demoted: dict[str, str] = {}
        """New quotes the set says are verified that arrive as needs review: set id -> why."""
        self.texts: dict[str, str] = {a.id: a.text for a in qs.articles}
        self.set_articles: dict[str, SetArticle] = {a.id: a for a in qs.articles}

    # -- helpers

    def conflict(self, kind: str, item_id: str, reason: str) -> None:
        self.report.conflicts.append(Conflict(kind, item_id, reason))
        self.conflicted[kind].add(item_id)

    def invalid(self, kind: str, item_id: str, model: Any, fields: Iterable[tuple[str, str | None]]) -> bool:
        """Whether a value cannot be stored in ``model``'s column of that name (too long, control or
        bidi characters: :mod:`annotator.validation`'s rules); reports a conflict when so."""
        for column, value in fields:
            reason = validation.problem(
                value,
                column.replace("_", " "),
                column=model.__table__.c[column],
                kind="text" if column in _FREE_TEXT else "name",
            )
            if reason is not None:
                self.conflict(kind, item_id, reason)
                return True
        return False

    # -- the whole import

    def run(self) -> None:
        self.check_audit_head()
        self.plan_sources()
        self.plan_articles()
        self.plan_quotes()
        if self.report.conflicts:
            if self.report.on_conflict == "refuse":
                return
            self.skip_conflicting()
        self.write_sources()
        self.write_articles()
        self.write_quotes()

    def check_audit_head(self) -> None:
        """A set holding a quote that was created in this database (not imported into it) was made
        from this database, or from a copy of it: the audit head it records must still be in this
        log. If it is not, the log was cut short, rewritten or put back since the export (or the
        copy diverged): refused, nothing written."""
        h = self.qs.header
        if h.audit_head_seq is None or h.audit_head_sha256 is None:
            return
        ae = AuditEntry.__table__.c
        made_here = False
        for chunk in chunks(q.id for q in self.qs.quotes):
            local = select(Quote.id).where(Quote.uid.in_(chunk)).scalar_subquery()
            created = select(ae.seq).where(
                ae.object_type == "quote",
                ae.object_id.in_(local),
                ae.before.is_(None),
                ae.action != IMPORT_ACTION,
            )
            if self.s.execute(created.limit(1)).first() is not None:
                made_here = True
                break
        database_id = audit.log_root(self.s) if made_here else None
        check = audit.check_set_head(
            self.s, seq=h.audit_head_seq, sha256=h.audit_head_sha256, database_id=database_id
        )
        if not check.ok:
            raise QuoteSetError(self.report.path, check.message)
        if check.status == "matches":
            self.report.notes.append(check.message)

    # -- sources

    def plan_sources(self) -> None:
        s, report = self.s, self.report
        set_sources = self.qs.sources
        local: dict[str, tuple[int, str, str]] = {}
        for chunk in chunks(x.id for x in set_sources):
            for sid, uid, kind, name in s.execute(
                select(Source.id, Source.uid, Source.kind, Source.name).where(Source.uid.in_(chunk))
            ):
                local[uid] = (sid, kind, name)
        unmatched = [x for x in set_sources if x.id not in local]
        self.new_names: dict[str, str] = {}
        """name key -> set id, of every set source not matched by uid (an alias cannot be another's name)."""
        for x in unmatched:
            self.new_names.setdefault(name_key(x.name), x.id)
        by_key = self._sources_by_key(x for x in unmatched if x.kind != SourceKind.ANONYMOUS.value)
        new_alias_keys: dict[str, str] = {}
        new_ext: dict[tuple[str, str], str] = {}
        for x in set_sources:
            if x.id in local:
                sid, kind, name = local[x.id]
                if kind != x.kind:
                    self.conflict(
                        "source", x.id, f"is {_a(x.kind)} in the set but {_a(kind)} here (#{sid} {name!r})"
                    )
                    continue
                self.sources[x.id] = sid
                report.matched["source"].append(Match(x.id, sid, "uid"))
                if name != x.name:
                    report.notes.append(
                        f"source {x.id}: kept the local name {name!r} (the set says {x.name!r})"
                    )
                continue
            if x.kind != SourceKind.ANONYMOUS.value:
                hits = by_key.get(name_key(x.name), {})
                same_kind = {sid: how for sid, (kind, how) in hits.items() if kind == x.kind}
                if len(same_kind) > 1:
                    listing = ", ".join(f"#{sid}" for sid in sorted(same_kind))
                    self.conflict(
                        "source",
                        x.id,
                        f"{x.name!r} ({x.kind}) matches {len(same_kind)} sources here "
                        f"by name or alias ({listing}); merge them first",
                    )
                    continue
                if same_kind:
                    sid, how = next(iter(same_kind.items()))
                    self.sources[x.id] = sid
                    report.matched["source"].append(Match(x.id, sid, how))
                    continue
            if self._check_new_source(x, new_alias_keys, new_ext):
                self.sources[x.id] = (_NEW, x.id)
                self.new_sources.append(x)
        for x in self.new_sources:
            if x.affiliation == x.id:
                self.conflict("source", x.id, "is its own affiliation")
        by_name = [m for m in report.matched["source"] if m.how != "uid"]
        if by_name:
            report.notes.append(
                f"{len(by_name)} source(s) matched by name or alias under another id: sign-offs made "
                "elsewhere on "
                "chains that name them carry chain hashes that will not match here"
            )

    def _sources_by_key(self, sources: Iterable[SetSource]) -> dict[str, dict[int, tuple[str, str]]]:
        """Local sources whose name or alias has the key of one of ``sources``' names:
        key -> {local id: (kind, "name" | "alias")}."""
        keys = {name_key(x.name) for x in sources}
        out: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
        for chunk in chunks(keys):
            for sid, kind, key in self.s.execute(
                select(Source.id, Source.kind, Source.name_key).where(Source.name_key.in_(chunk))
            ):
                out[key][sid] = (kind, "name")
            for sid, kind, key in self.s.execute(
                select(Source.id, Source.kind, SourceAlias.alias_key)
                .join(SourceAlias, SourceAlias.source_id == Source.id)
                .where(SourceAlias.alias_key.in_(chunk))
            ):
                out[key].setdefault(sid, (kind, "alias"))
        return out

    def _check_new_source(
        self, x: SetSource, alias_keys: dict[str, str], ext: dict[tuple[str, str], str]
    ) -> bool:
        """Whether ``x`` can be created; reports a conflict when not."""
        fields = [
            ("name", x.name),
            ("name_key", name_key(x.name)),
            ("role", x.role),
            ("descriptor", x.descriptor),
            ("nationality", x.nationality),
        ]
        if self.invalid("source", x.id, Source, fields):
            return False
        mine: dict[str, str] = {}
        for alias in x.aliases:
            key = name_key(alias)
            if not alias:
                self.conflict("source", x.id, "has an empty alias")
                return False
            if self.invalid("source", x.id, SourceAlias, [("alias", alias), ("alias_key", key)]):
                return False
            if key in mine:
                self.conflict(
                    "source", x.id, f"has the aliases {mine[key]!r} and {alias!r}, which are the same name"
                )
                return False
            if key in alias_keys:
                self.conflict(
                    "source", x.id, f"has the alias {alias!r}, as has source {alias_keys[key]} of the set"
                )
                return False
            mine[key] = alias
        for key, alias in mine.items():
            if key in self.new_names and self.new_names[key] != x.id:
                self.conflict(
                    "source",
                    x.id,
                    f"its alias {alias!r} is the name of source {self.new_names[key]} of the set",
                )
                return False
        clash = find_alias_clash(self.s, mine)
        if clash is not None and clash.is_name:
            self.conflict(
                "source",
                x.id,
                f"one of its aliases is the name of #{clash.source_id} {clash.source_name!r} here; "
                "an alias cannot be another source's name",
            )
            return False
        if clash is not None:
            self.conflict(
                "source",
                x.id,
                f"its alias {clash.alias!r} already belongs to #{clash.source_id} {clash.source_name!r} here",
            )
            return False
        pairs: set[tuple[str, str]] = set()
        for scheme, value in x.external_ids:
            if self.invalid("source", x.id, ExternalId, [("scheme", scheme), ("value", value)]):
                return False
            if (scheme, value) in pairs or (scheme, value) in ext:
                self.conflict("source", x.id, f"external id {scheme}:{value} appears twice in the set")
                return False
            pairs.add((scheme, value))
            owner = self.s.execute(
                select(Source.id, Source.name)
                .join(ExternalId, ExternalId.source_id == Source.id)
                .where(ExternalId.scheme == scheme, ExternalId.value == value)
            ).first()
            if owner is not None:
                self.conflict(
                    "source",
                    x.id,
                    f"external id {scheme}:{value} already belongs to #{owner[0]} {owner[1]!r} here",
                )
                return False
        alias_keys.update({key: x.id for key in mine})
        ext.update({pair: x.id for pair in pairs})
        return True

    # -- articles

    def plan_articles(self) -> None:
        s, report = self.s, self.report
        set_articles = self.qs.articles
        by_hash: dict[str, tuple[int, str]] = {}
        for chunk in chunks(a.text_sha256 for a in set_articles):
            for aid, uid, digest in s.execute(
                select(Article.id, Article.uid, Article.text_sha256).where(Article.text_sha256.in_(chunk))
            ):
                by_hash[digest] = (aid, uid)
        by_uid: dict[str, int] = {}
        for chunk in chunks(a.id for a in set_articles if a.text_sha256 not in by_hash):
            by_uid.update(s.execute(select(Article.uid, Article.id).where(Article.uid.in_(chunk))).all())
        seen_hash: dict[str, str] = {}
        for a in set_articles:
            if a.text_sha256 in seen_hash:
                self.conflict(
                    "article", a.id, f"has the same text as article {seen_hash[a.text_sha256]} of the set"
                )
                continue
            seen_hash[a.text_sha256] = a.id
            if a.text_sha256 in by_hash:
                aid, uid = by_hash[a.text_sha256]
                self.articles[a.id] = aid
                report.matched["article"].append(Match(a.id, aid, "text"))
                if uid != a.id:
                    report.notes.append(
                        f"article {a.id}: the same text is here as article #{aid} ({uid}); its quotes go "
                        "there, and the chain hashes of their sign-offs, made with the set's article id, "
                        "will not match here"
                    )
                continue
            if a.id in by_uid:
                self.conflict("article", a.id, f"article #{by_uid[a.id]} here has this uid but another text")
                continue
            if not a.text:
                self.conflict("article", a.id, "has an empty text, which a database cannot hold")
                continue
            if not is_canonical(a.text):
                self.conflict("article", a.id, "its text is not canonical (Unicode NFC, LF newlines)")
                continue
            if a.published is not None:
                try:
                    dt.date.fromisoformat(a.published)
                except ValueError:
                    self.conflict(
                        "article", a.id, f"publication date {a.published!r} cannot be stored (YYYY-MM-DD)"
                    )
                    continue
            fields = [("title", a.title), ("url", a.url), ("byline", a.byline), ("language", a.language)]
            if self.invalid("article", a.id, Article, fields):
                continue
            self.articles[a.id] = (_NEW, a.id)
            self.new_articles.append(a)

    # -- quotes

    def plan_quotes(self) -> None:
        s, report = self.s, self.report
        existing: dict[str, QuoteRecord] = {}
        for chunk in chunks((q.id for q in self.qs.quotes), _QUOTE_BATCH):
            for rec in load_quote_records(s, s.scalars(select(Quote).where(Quote.uid.in_(chunk)))):
                existing[rec.uid] = rec
            s.expunge_all()
        for q in self.qs.quotes:
            chain = [q.speaker] if q.speaker is not None else []
            chain += [h.source for h in q.hops]
            mapped = [self.sources.get(x) for x in chain]
            if q.id in existing:
                gone = next((x for x in chain if x in self.conflicted["source"]), None)
                if q.article in self.conflicted["article"] or gone is not None:
                    why = (
                        f"its article {q.article} conflicts"
                        if gone is None
                        else f"source {gone} of its chain conflicts"
                    )
                    self.held_back.append((q.id, why))
                    continue
                self._compare(q, existing[q.id])
                continue
            locals_ = [m for m in mapped if isinstance(m, int)]
            if len(set(locals_)) != len(locals_):
                self.conflict(
                    "quote",
                    q.id,
                    "its chain would hold the same source twice here "
                    "(two sources of the set match one source here)",
                )
                continue
            fields = [
                ("status_by", q.status_by),
                ("status_at", q.status_at),
                ("created_by", q.created_by),
                ("created_at", q.created_at),
                ("evidence_url", q.evidence_url),
                ("archive_url", q.archive_url),
                ("note", q.note),
            ]
            if self.invalid("quote", q.id, Quote, fields):
                continue
            if self.invalid("quote", q.id, Hop, [("relation", h.relation) for h in q.hops]):
                continue
            if any(
                self.invalid(
                    "quote", q.id, Review, [("reviewer", so.reviewer), ("at", so.at), ("comment", so.comment)]
                )
                for so in q.signoffs
            ):
                continue
            if q.created_by is None or q.created_at is None:
                report.notes.append(
                    f"quote {q.id}: the set does not say who created it or when; recorded as the importer "
                    f"({self.service.user}) at the import's time"
                )
            cut = self._span_problem(q)
            if cut is not None:
                self.conflict("quote", q.id, cut)
                continue
            unverified = _unverified_reason(q, self.set_articles.get(q.article))
            if unverified is not None:
                self.demoted[q.id] = unverified
                report.notes.append(f"quote {q.id}: arrives as needs review, not verified: {unverified}")
            self.new_quotes.append(q)
        if self.qs.header.four_eyes is False and any(
            q.status == Status.VERIFIED.value for q in self.new_quotes
        ):
            report.notes.append("the set was exported by a database without the four-eyes rule")

    def _span_problem(self, q: SetQuote) -> str | None:
        """Why a span of the quote (its own, its cue's, its evidence's) cuts a character in two."""
        text = self.texts.get(q.article)
        if text is None:
            return None
        spans = [("span", (q.start, q.end)), ("cue", q.cue)]
        spans += [(f"hop {i + 1} evidence", h.evidence) for i, h in enumerate(q.hops)]
        for what, span in spans:
            if span is not None:
                problem = anchoring.grapheme_problem(text, span[0], span[1], what=what)
                if problem is not None:
                    return problem
        return None

    def _compare(self, q: SetQuote, rec: QuoteRecord) -> None:
        """A quote already here (by uid): the same chain is a match, anything else a conflict."""
        want_article = self.articles.get(q.article)
        if want_article != rec.article_id:
            self.conflict("quote", q.id, f"quote #{rec.id} here has this uid but is in another article")
            return
        differences = []
        if (q.start, q.end) != (rec.start, rec.end):
            differences.append(f"span [{q.start}, {q.end}) in the set, [{rec.start}, {rec.end}) here")
        if q.type != rec.type:
            differences.append(f"type {q.type} in the set, {rec.type} here")
        if q.cue != rec.cue:
            differences.append("cue")
        speaker = self.sources.get(q.speaker) if q.speaker is not None else None
        if speaker != rec.speaker_id:
            differences.append("speaker")
        hops = [(self.sources.get(h.source), h.relation, h.evidence) for h in q.hops]
        if hops != [(h.source_id, h.relation, h.evidence) for h in rec.hops]:
            differences.append("hops")
        if differences:
            self.conflict(
                "quote", q.id, f"its chain differs from quote #{rec.id} here: {'; '.join(differences)}"
            )
            return
        self.report.matched["quote"].append(Match(q.id, rec.id, "uid"))
        if q.status != rec.status:
            self.report.notes.append(
                f"quote {q.id}: kept the local status {rec.status} of quote #{rec.id} "
                f"(the set says {q.status})"
            )

    # -- on_conflict="skip"

    def skip_conflicting(self) -> None:
        """Leave out what conflicts and, transitively, what needs it."""
        report = self.report
        blocked_sources: dict[str, str] = {x: "conflict" for x in self.conflicted["source"]}
        changed = True
        while changed:
            changed = False
            for x in self.new_sources:
                if (
                    x.id not in blocked_sources
                    and x.affiliation is not None
                    and x.affiliation in blocked_sources
                ):
                    blocked_sources[x.id] = f"its affiliation {x.affiliation} is skipped"
                    changed = True
        blocked_articles: dict[str, str] = {a: "conflict" for a in self.conflicted["article"]}
        for a in self.new_articles:
            if a.outlet is not None and a.outlet in blocked_sources:
                blocked_articles[a.id] = f"its outlet {a.outlet} is skipped"
        blocked_quotes: dict[str, str] = {q: "conflict" for q in self.conflicted["quote"]}
        for q in self.new_quotes:
            if q.article in blocked_articles:
                blocked_quotes[q.id] = f"its article {q.article} is skipped"
                continue
            chain = ([q.speaker] if q.speaker is not None else []) + [h.source for h in q.hops]
            gone = next((x for x in chain if x in blocked_sources), None)
            if gone is not None:
                blocked_quotes[q.id] = f"source {gone} of its chain is skipped"
        for item_id, why in self.held_back:
            blocked_quotes.setdefault(item_id, why)
        reasons = {(c.kind, c.id): c.reason for c in report.conflicts}
        for kind, blocked in (
            ("source", blocked_sources),
            ("article", blocked_articles),
            ("quote", blocked_quotes),
        ):
            for item_id, why in blocked.items():
                report.skipped.append(Conflict(kind, item_id, reasons.get((kind, item_id), why)))
        self.new_sources = [x for x in self.new_sources if x.id not in blocked_sources]
        self.new_articles = [a for a in self.new_articles if a.id not in blocked_articles]
        self.new_quotes = [q for q in self.new_quotes if q.id not in blocked_quotes]

    # -- writing

    def write_sources(self) -> None:
        s, op = self.s, self.op
        rows: list[tuple[SetSource, Source]] = []
        for x in self.new_sources:
            src = Source(
                uid=x.id,
                kind=x.kind,
                name=x.name,
                name_key=name_key(x.name),
                role=x.role,
                descriptor=x.descriptor,
                nationality=x.nationality,
            )
            s.add(src)
            rows.append((x, src))
        s.flush()
        for x, src in rows:
            self.sources[x.id] = src.id
        for x, src in rows:
            if x.affiliation is not None:
                src.affiliation_id = self.sources[x.affiliation]
            for alias in x.aliases:
                s.add(SourceAlias(source_id=src.id, alias=alias, alias_key=name_key(alias)))
            for scheme, value in x.external_ids:
                s.add(ExternalId(source_id=src.id, scheme=scheme, value=value))
        s.flush()
        for x, src in rows:
            op.record(
                None,
                SourceRecord(
                    id=src.id,
                    uid=src.uid,
                    kind=src.kind,
                    name=src.name,
                    role=src.role,
                    affiliation_id=src.affiliation_id,
                    descriptor=src.descriptor,
                    nationality=src.nationality,
                    aliases=tuple(sorted(x.aliases)),
                    external_ids=tuple(sorted(x.external_ids)),
                    name_key=src.name_key,
                    alias_keys=tuple(name_key(a) for a in sorted(x.aliases)),
                ),
            )
            self.report.added["source"].append(x.id)
        s.flush()
        s.expunge_all()

    def write_articles(self) -> None:
        s, op = self.s, self.op
        for a in self.new_articles:
            art = Article(
                uid=a.id,
                title=a.title or "",
                outlet_id=self.sources[a.outlet] if a.outlet is not None else None,
                url=a.url,
                byline=a.byline,
                published=dt.date.fromisoformat(a.published) if a.published is not None else None,
                language=a.language,
                filename=self.report.path.name[: validation.column_limit(Article.filename)],
                format="xml",
                encoding=None,
                raw_sha256=None,
                text_sha256=a.text_sha256,
                text=a.text,
                text_length=len(a.text),
                imported_at=op.at,
                imported_by=self.service.user,
            )
            s.add(art)
            s.flush()
            self.articles[a.id] = art.id
            op.record(None, article_record(art))
            self.report.added["article"].append(a.id)
            s.flush()
            s.expunge(art)

    def write_quotes(self) -> None:
        """Quotes, hops and reviews by batched INSERTs (the ORM's bulk insert: no unit of work per row;
        ids are read back per batch), their audit records built from the same values."""
        s, op, user = self.s, self.op, self.service.user
        lengths: dict[int, int] = {}
        for chunk in chunks({self.articles[q.article] for q in self.new_quotes}):
            lengths.update(
                s.execute(select(Article.id, Article.text_length).where(Article.id.in_(chunk))).all()
            )
        added = self.report.added
        for batch in chunks(self.new_quotes, _QUOTE_BATCH):
            rows = []
            for x in batch:
                article_id = self.articles[x.article]
                created_by = x.created_by if x.created_by is not None else user
                created_at = x.created_at if x.created_at is not None else op.at
                status: str = x.status
                status_by, status_at, note = x.status_by, x.status_at, x.note
                if x.id in self.demoted:
                    status, status_by, status_at = Status.NEEDS_REVIEW.value, user, op.at
                    why = f"[{IMPORT_ACTION}] arrived as needs review, not verified: {self.demoted[x.id]}"
                    note = f"{note}\n{why}" if note else why
                rows.append(
                    {
                        "uid": x.id,
                        "article_id": article_id,
                        "article_length": lengths[article_id],
                        "start": x.start,
                        "end": x.end,
                        "text": x.text,
                        "prefix": x.prefix,
                        "suffix": x.suffix,
                        "type": x.type,
                        "cue_start": x.cue[0] if x.cue else None,
                        "cue_end": x.cue[1] if x.cue else None,
                        "speaker_id": self.sources[x.speaker] if x.speaker is not None else None,
                        "status": status,
                        "evidence_url": x.evidence_url,
                        "archive_url": x.archive_url,
                        "note": note,
                        "status_by": status_by,
                        "status_at": status_at,
                        "created_by": created_by,
                        "created_at": created_at,
                        # The format does not carry who last edited the chain: its creator is the best known.
                        "chain_edited_by": created_by,
                        "chain_edited_at": created_at,
                    }
                )
            s.execute(insert(Quote), rows)
            by_uid = dict(
                s.execute(select(Quote.uid, Quote.id).where(Quote.uid.in_([x.id for x in batch]))).all()
            )
            ids = [by_uid[x.id] for x in batch]
            hop_rows: list[dict[str, Any]] = []
            review_rows: list[dict[str, Any]] = []
            for x, qid in zip(batch, ids, strict=True):
                for i, h in enumerate(x.hops):
                    hop_rows.append(
                        {
                            "quote_id": qid,
                            "position": i,
                            "source_id": self.sources[h.source],
                            "relation": h.relation,
                            "evidence_start": h.evidence[0] if h.evidence else None,
                            "evidence_end": h.evidence[1] if h.evidence else None,
                        }
                    )
                for so in x.signoffs:
                    review_rows.append(
                        {
                            "quote_id": qid,
                            "reviewer": so.reviewer,
                            "at": so.at,
                            "verdict": so.verdict,
                            "comment": so.comment,
                            "chain_sha256": so.chain_sha256,
                        }
                    )
            if hop_rows:
                s.execute(insert(Hop), hop_rows)
            review_ids: dict[int, list[int]] = defaultdict(list)
            if review_rows:
                s.execute(insert(Review), review_rows)
                # Ids grow in insertion order: a quote's k-th sign-off has its k-th smallest review id.
                for qid, rid in s.execute(
                    select(Review.quote_id, Review.id).where(Review.quote_id.in_(ids)).order_by(Review.id)
                ):
                    review_ids[qid].append(rid)
            audited: list[tuple[None, Record]] = []  # in the order one-by-one records would take
            for x, qid, row in zip(batch, ids, rows, strict=True):
                hops = tuple(HopRecord(self.sources[h.source], h.relation, h.evidence) for h in x.hops)
                cue = (row["cue_start"], row["cue_end"]) if x.cue else None
                audited.append(
                    (
                        None,
                        QuoteRecord(
                            id=qid,
                            uid=x.id,
                            article_id=row["article_id"],
                            start=x.start,
                            end=x.end,
                            text=x.text,
                            prefix=x.prefix,
                            suffix=x.suffix,
                            type=x.type,
                            cue=cue,
                            speaker_id=row["speaker_id"],
                            hops=hops,
                            status=row["status"],
                            evidence_url=x.evidence_url,
                            archive_url=x.archive_url,
                            note=row["note"],
                            status_by=row["status_by"],
                            status_at=row["status_at"],
                            created_by=row["created_by"],
                            created_at=row["created_at"],
                            chain_edited_by=row["chain_edited_by"],
                            chain_edited_at=row["chain_edited_at"],
                        ),
                    )
                )
                added["quote"].append(x.id)
                for n, (so, rid) in enumerate(zip(x.signoffs, review_ids[qid], strict=True), 1):
                    audited.append(
                        (
                            None,
                            ReviewRecord(
                                rid, qid, so.reviewer, so.at, so.verdict, so.comment, so.chain_sha256
                            ),
                        )
                    )
                    added["signoff"].append(f"{x.id}#{n}")
            op.record_many(audited)  # batched audit entries, byte for byte those of op.record
            s.flush()
            s.expunge_all()


__all__ = ["Conflict", "ImportConflictError", "ImportSetReport", "Match", "import_set"]
