"""``annotator``: the command-line interface, on the same service API as the desktop app.

Tables for people, ``--json`` for scripts; exit code 0 on success, and 1 with a one-line error
(``annotator: error: ...``) otherwise. :func:`build_parser` is a plain argparse parser over the
commands of :mod:`annotator.cli.commands`, :mod:`annotator.cli.quotesets`, :mod:`annotator.cli.review`
and :mod:`annotator.cli.suggestions`. The operations never import this package. A command that works on
files only (``suggest --text-file``) sets ``without_database``, and then no database is opened.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from annotator import __version__
from annotator.cli import interop, quotesets, review, suggestions, versions
from annotator.cli.commands import (
    cmd_add_quote,
    cmd_add_source,
    cmd_articles,
    cmd_audit_head,
    cmd_audit_verify,
    cmd_audit_witness,
    cmd_chain,
    cmd_info,
    cmd_merge_sources,
    cmd_quotes,
    cmd_sources,
    cmd_status,
)
from annotator.cli.output import one_line
from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.service import Service

log = logging.getLogger(__name__)

USER_ENV = "QUOTE_ANNOTATOR_USER"


def default_user() -> str:
    import getpass

    return os.environ.get(USER_ENV) or getpass.getuser()


Command = Callable[["Service", argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate quotes in news articles with their speaker and provenance chain.",
    )
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite file (default: $QUOTE_ANNOTATOR_DB, else the user data dir)",
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        help=f"who is acting, written into the audit log (default: ${USER_ENV} or the login name)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, fn: Command, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(func=fn)
        sp.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
        )
        return sp

    versions.add_commands(add)

    sp = add("articles", cmd_articles, "list articles with their quote counts")
    sp.set_defaults(listing=True)
    sp.add_argument("--search", help="filter by title or outlet")

    sp = add("quotes", cmd_quotes, "list quotes")
    sp.set_defaults(listing=True)
    sp.add_argument("--article", metavar="ID", help="only this article (id, uid or exact title)")
    sp.add_argument("--status", help="only quotes with this status")

    sp = add("add-quote", cmd_add_quote, "create a quote with its speaker and chain")
    sp.add_argument("article", metavar="ARTICLE", help="article id, uid or exact title")
    sp.add_argument("--text", help="the exact text of the quote, as it stands in the article")
    sp.add_argument(
        "--occurrence", type=int, help="which occurrence of --text (1-based), when it occurs more than once"
    )
    sp.add_argument("--start", type=int, help="start offset (code points)")
    sp.add_argument("--end", type=int, help="end offset (code points, exclusive)")
    sp.add_argument("--speaker", metavar="NAME", help="speaker: NAME, #ID, or KIND/NAME to create it")
    sp.add_argument(
        "--via",
        action="append",
        metavar="NAME:RELATION",
        help="an intermediary, nearest the speaker first (repeatable), "
        "e.g. 'anonymous/a Turkish official:according to'",
    )
    sp.add_argument(
        "--type", choices=["direct", "partial", "indirect"], help="default: guessed from quotation marks"
    )
    sp.add_argument("--cue", help="the cue words, e.g. 'according to'")
    sp.add_argument("--cue-occurrence", type=int)
    sp.add_argument("--note")

    sp = add("add-source", cmd_add_source, "add a person, organization, outlet or anonymous source")
    sp.add_argument("kind", choices=["person", "organization", "outlet", "anonymous"])
    sp.add_argument("name")
    sp.add_argument("--role")
    sp.add_argument("--affiliation", metavar="NAME")
    sp.add_argument(
        "--descriptor", help="how the article describes an anonymous source, e.g. 'a Turkish official'"
    )
    sp.add_argument("--nationality")
    sp.add_argument("--alias", action="append")
    sp.add_argument("--external-id", action="append", metavar="SCHEME:VALUE")

    sp = add("chain", cmd_chain, "show a quote's attribution chain")
    sp.add_argument("quote", metavar="QUOTE")

    sp = add("status", cmd_status, "set a quote's verification status and evidence")
    sp.add_argument("quote", metavar="QUOTE")
    sp.add_argument("status", choices=["unverified", "needs_review", "verified", "disputed", "rejected"])
    sp.add_argument("--evidence-url")
    sp.add_argument("--archive-url")
    sp.add_argument("--note")

    sp = add("sources", cmd_sources, "list the source registry")
    sp.set_defaults(listing=True)
    sp.add_argument("--kind", choices=["person", "organization", "outlet", "anonymous"])
    sp.add_argument("--search", help="name or alias contains")

    sp = add("merge-sources", cmd_merge_sources, "merge a duplicate source into another")
    sp.add_argument("survivor")
    sp.add_argument("absorbed")

    sp = add("audit", lambda s, a: 0, "the audit log")
    asub = sp.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    av = asub.add_parser("verify", help="check the hash chain and that every object matches its last entry")
    av.set_defaults(func=cmd_audit_verify)
    av.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    av.add_argument("--expect-head", metavar="SEQ:SHA256", help="a head printed earlier by 'audit head'")
    av.add_argument(
        "--witness",
        nargs="?",
        const="",
        metavar="FILE",
        help="check every head recorded in a witness file (default: the user data directory's)",
    )
    ah = asub.add_parser("head", help="print the audit log's head as SEQ:SHA256, to keep elsewhere")
    ah.set_defaults(func=cmd_audit_head)
    ah.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    aw = asub.add_parser("witness", help="append the audit log's head to a witness file (for a periodic job)")
    aw.set_defaults(func=cmd_audit_witness)
    aw.add_argument("file", nargs="?", help="the witness file (default: the user data directory's)")
    aw.add_argument("--note", default="", help="why the head was written")

    add("info", cmd_info, "show the database in use, the user and where data is kept")

    quotesets.add_commands(add)
    interop.add_commands(add)
    review.add_commands(add)
    suggestions.add_commands(add)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("QUOTE_ANNOTATOR_LOG", "WARNING"), format="%(levelname)s %(name)s: %(message)s"
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        without_database = getattr(args, "without_database", None)
        if without_database is not None and without_database(args):
            return int(args.func(None, args))
        return _run(args)
    except AnnotatorError as exc:
        print(f"annotator: error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into head(1) and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a one-line error, not a traceback, for anything unexpected too
        log.debug("unexpected error", exc_info=True)
        from sqlalchemy.exc import SQLAlchemyError

        from annotator.errors import database_message

        if isinstance(exc, SQLAlchemyError):  # never the SQL and its parameters
            print(f"annotator: error: database error: {one_line(database_message(exc))}", file=sys.stderr)
        else:
            print(f"annotator: error: {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command. A read command marked ``listing`` runs on a
    :class:`~annotator.listing.Listing` when the database allows it (an SQLite file at the newest
    schema revision): no SQLAlchemy, no ORM mapping to load. Every other command, and a read
    command on another database, gets the service."""
    if getattr(args, "listing", False):
        from annotator.listing import Listing

        listing = Listing.open(args.db)
        if listing is not None:
            with listing:
                return int(args.func(listing, args))
    from annotator.db import Database
    from annotator.service import Service

    db = Database.open(args.db)
    if db.read_only is not None:
        print(f"annotator: note: the database is open read-only: {db.read_only}", file=sys.stderr)
    try:
        svc = Service(db, user=args.user or default_user())
        return int(args.func(svc, args))
    finally:
        db.close()
