"""PROV export: the seed chain's document read back with the ``prov`` library, schema validation,
and byte-identical repeated exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from prov.model import (
    PROV,
    ProvActivity,
    ProvAgent,
    ProvAssociation,
    ProvAttribution,
    ProvDelegation,
    ProvDerivation,
    ProvDocument,
    ProvEntity,
    ProvGeneration,
    ProvUsage,
)
from seed import SAMPLES, annotate_gold

from annotator.db import Database
from annotator.errors import NotFoundError, ValidationError
from annotator.interop import prov as iprov
from annotator.interop.dataset import InteropError
from annotator.records import QuoteRecord
from annotator.service import Service

REPO = Path(__file__).resolve().parents[2]
LIB_FORMATS = {"prov-xml": "xml", "prov-json": "json", "prov-n": "provn"}


def _seed(svc: Service) -> tuple[int, QuoteRecord]:
    """The Istanbul article annotated from its gold file; the Moscow quote sent for review and
    approved by a second person, who also rejects another quote."""
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    moscow = next(q for q in svc.quotes(art.id) if q.text.startswith("it would only accept a truce"))
    svc.set_status(moscow.id, "needs_review")
    rui = Service(svc.db, user="rui")
    rui.approve(moscow.id, "checked against the CNN piece")
    return art.id, svc.quote(moscow.id)


def _ids(record_args: tuple) -> tuple[str | None, ...]:
    return tuple(None if a is None else str(a) for a in record_args)


def _edges(doc: ProvDocument, cls: type) -> set[tuple[str | None, ...]]:
    return {_ids(r.args[:2]) for r in doc.get_records(cls)}


def _one(values: set) -> object:
    assert len(values) == 1, values
    return next(iter(values))


@pytest.mark.parametrize("fmt", list(LIB_FORMATS))
def test_the_seed_chain_reads_back_as_the_expected_graph(svc: Service, tmp_path: Path, fmt: str) -> None:
    article_id, q = _seed(svc)
    path = tmp_path / f"seed.{fmt}"
    result = iprov.export_prov(svc, path, fmt, status="all")
    assert result.quotes == 18 and result.articles == 1 and path.stat().st_size == result.size

    doc = ProvDocument.deserialize(str(path), format=LIB_FORMATS[fmt])
    art = svc.article(article_id)
    src = {s.name: s for s in svc.sources()}
    quote, step1, step2 = iprov.quote_id(q.uid), iprov.step_id(q.uid, 1), iprov.step_id(q.uid, 2)
    article = iprov.article_id(art.uid)
    moscow, official, cnn = (iprov.source_id(src[n].uid) for n in ("Moscow", "Turkish official", "CNN"))
    el_pais = iprov.source_id(src["El País"].uid)

    entities = {str(e.identifier): e for e in doc.get_records(ProvEntity)}
    agents = {str(a.identifier): a for a in doc.get_records(ProvAgent)}
    # Every source of the chain is an agent with its kind; the quote is an entity with its words.
    assert {moscow, official, cnn, el_pais} <= set(agents)
    assert _one(agents[official].get_attribute("qa:kind")) == "anonymous"
    assert _one(agents[official].get_attribute("qa:descriptor")) == "a Turkish official"
    assert PROV["Organization"] in agents[cnn].get_asserted_types()
    assert _one(entities[quote].get_attribute("prov:value")) == q.text
    assert _one(entities[quote].get_attribute("qa:quoteType")) == "indirect"
    assert int(str(_one(entities[quote].get_attribute("qa:start")))) == q.start
    assert {step1, step2, article} <= set(entities)

    # Attributions: the quote to its speaker, each step to its hop's source, the article to its outlet.
    attributions = _edges(doc, ProvAttribution)
    assert {(quote, moscow), (step1, official), (step2, cnn), (article, el_pais)} <= attributions

    # The chain: speaker's words <- hop 1 <- hop 2 <- article, in order, with the relations;
    # an indirect quote is derived (not quoted) from what was said. The article's primary source
    # is the quote itself.
    derivations = {str(d.identifier): d for d in doc.get_records(ProvDerivation)}
    hop1, hop2 = derivations[f"qa:hop-{q.uid}-1"], derivations[f"qa:hop-{q.uid}-2"]
    assert _ids(hop1.args[:2]) == (step1, quote) and _ids(hop2.args[:2]) == (step2, step1)
    assert _one(hop1.get_attribute("qa:relation")) == "according to"
    assert _one(hop2.get_attribute("qa:relation")) == "quoted by"
    assert [int(str(_one(h.get_attribute("qa:position")))) for h in (hop1, hop2)] == [1, 2]
    assert PROV["Quotation"] not in hop1.get_asserted_types()
    printed = derivations[f"qa:printed-{q.uid}"]
    assert _ids(printed.args[:2]) == (article, step2)
    primary = derivations[f"qa:primary-{q.uid}"]
    assert _ids(primary.args[:2]) == (article, quote)
    assert PROV["PrimarySource"] in primary.get_asserted_types()

    # A direct quote's hop-less chain is a quotation straight into the article.
    rubio = next(x for x in svc.quotes(article_id) if x.text.startswith("We came because"))
    direct = derivations[f"qa:printed-{rubio.uid}"]
    assert _ids(direct.args[:2]) == (article, iprov.quote_id(rubio.uid))
    assert PROV["Quotation"] in direct.get_asserted_types()

    # Affiliation: the Turkish official acted on behalf of the Government of Turkey.
    assert (official, iprov.source_id(src["Government of Turkey"].uid)) in _edges(doc, ProvDelegation)

    # The review: an activity at the sign-off's time, associated with the reviewer, that used the
    # quote and generated the verdict.
    review = svc.reviews(q.id)[0]
    activity = f"qa:review-{q.uid}-1"
    verdict = f"qa:verdict-{q.uid}-1"
    act = next(a for a in doc.get_records(ProvActivity) if str(a.identifier) == activity)
    assert act.get_startTime().isoformat().replace("+00:00", "Z") == review.at
    assert (activity, "qa:user-rui") in _edges(doc, ProvAssociation)
    assert (activity, quote) in _edges(doc, ProvUsage)
    generation = next(g for g in doc.get_records(ProvGeneration) if str(g.args[0]) == verdict)
    assert str(generation.args[1]) == activity
    assert generation.args[2].isoformat().replace("+00:00", "Z") == review.at
    assert _one(entities[verdict].get_attribute("prov:value")) == "approve"
    assert _one(entities[verdict].get_attribute("qa:chainSha256")) == svc.chain_sha256(q.id)
    assert _one(agents["qa:user-rui"].get_attribute("prov:label")) == "rui"


def test_prov_xml_is_valid_against_the_w3c_schema(sqlite_svc: Service, tmp_path: Path) -> None:
    _seed(sqlite_svc)
    path = tmp_path / "seed.xml"
    iprov.export_prov(sqlite_svc, path, "prov-xml", status="all")
    schema = etree.XMLSchema(etree.parse(str(REPO / "schemas" / "prov" / "prov.xsd")))
    tree = etree.parse(str(path))
    assert schema.validate(tree), schema.error_log
    assert tree.getroot().tag == "{http://www.w3.org/ns/prov#}document"
    assert tree.find("{http://www.w3.org/ns/prov#}hadPrimarySource") is not None


def test_validation_refuses_a_document_the_schema_refuses(sqlite_svc: Service) -> None:
    _seed(sqlite_svc)
    data = iprov.load(sqlite_svc, status="all")
    doc = iprov.build_document(data)
    good = iprov.serialize(doc, "prov-xml")
    iprov.check(good, "prov-xml", doc)
    bad = good.replace(b"<prov:entity ", b"<prov:thing ", 1).replace(b"</prov:entity>", b"</prov:thing>", 1)
    with pytest.raises(InteropError, match=r"^out\.xml:\d+: not valid PROV-XML: .*thing") as info:
        iprov.check(bad, "prov-xml", doc, "out.xml")
    assert info.value.line is not None and info.value.line > 1
    # A document that parses but says something else is refused too (the read-back comparison).
    other = iprov.serialize(iprov.build_document(iprov.load(sqlite_svc, status="verified")), "prov-json")
    with pytest.raises(InteropError, match="differs"):
        iprov.check(other, "prov-json", doc, "out.json")


def test_an_export_to_a_missing_folder_is_refused_with_the_path(sqlite_svc: Service, tmp_path: Path) -> None:
    _seed(sqlite_svc)
    target = tmp_path / "nowhere" / "seed.provn"
    with pytest.raises(InteropError, match=r"seed\.provn: the folder .*nowhere.* does not exist"):
        iprov.export_prov(sqlite_svc, target, "prov-n", status="all")
    assert not target.parent.exists()


@pytest.mark.parametrize("fmt", list(LIB_FORMATS))
def test_two_exports_are_byte_identical_even_across_processes(
    sqlite_svc: Service, sqlite_url: str, tmp_path: Path, fmt: str
) -> None:
    _seed(sqlite_svc)
    a, b = tmp_path / "a", tmp_path / "b"
    iprov.export_prov(sqlite_svc, a, fmt, status="all")
    iprov.export_prov(Service(Database.open(sqlite_url), user="someone else"), b, fmt, status="all")
    assert a.read_bytes() == b.read_bytes()
    # Another process with another hash seed (set or dict order must not leak into the file).
    c = tmp_path / "c"
    code = (
        "import sys; from annotator.db import Database; from annotator.interop.prov import export_prov; "
        "export_prov(Database.open(sys.argv[1]), sys.argv[2], sys.argv[3], status='all')"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, sqlite_url, str(c), fmt], check=True, env=env)
    assert a.read_bytes() == c.read_bytes()


def test_filters_select_verified_quotes_and_articles(svc: Service, tmp_path: Path) -> None:
    article_id, q = _seed(svc)
    other = svc.import_file(SAMPLES / "tavrin-bridge-chain.txt").extra["article"]
    svc.create_quote(other.id, 0, 10)
    path = tmp_path / "verified.json"
    result = iprov.export_prov(svc, path, "prov-json")
    assert result.quotes == 1
    doc = ProvDocument.deserialize(str(path), format="json")
    quotes = {
        str(e.identifier) for e in doc.get_records(ProvEntity) if iprov.QA["Quote"] in e.get_asserted_types()
    }
    assert quotes == {iprov.quote_id(q.uid)}
    assert iprov.export_prov(svc, path, "prov-json", status="all", article_ids=[other.id]).quotes == 1
    with pytest.raises(ValidationError, match="unknown status filter"):
        iprov.export_prov(svc, path, "prov-json", status="disputed")
    with pytest.raises(NotFoundError):
        iprov.export_prov(svc, path, "prov-json", article_ids=[999])
    with pytest.raises(InteropError, match="unknown PROV format 'prov-rdf'"):
        iprov.export_prov(svc, path, "prov-rdf")


def test_malformed_prov_xml_is_refused_with_its_line(sqlite_svc: Service) -> None:
    _seed(sqlite_svc)
    doc = iprov.build_document(iprov.load(sqlite_svc, status="all"))
    good = iprov.serialize(doc, "prov-xml")
    broken = good.replace(b"</prov:entity>", b"</prov:entit>", 1)
    with pytest.raises(InteropError, match=r"^out\.xml:\d+: not well-formed XML") as info:
        iprov.check(broken, "prov-xml", doc, "out.xml")
    assert info.value.line is not None and info.value.line > 1
