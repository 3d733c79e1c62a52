"""Draw the PROV graph of the seed chain for ``docs/prov-mapping.md``.

    .venv/bin/pip install -e '.[docs]'   # prov[dot]: pydot; and Graphviz's `dot` on the PATH
    .venv/bin/python docs/prov_graph.py  # docs/images/prov-seed-chain.png, docs/prov-seed-chain.provn

The seed article is annotated from ``tests/data/istanbul-talks.gold.json`` in a temporary
database, the Moscow quote is sent for review and approved by a second person, and the PROV
document of the verified quotes (that one quote) is drawn with the ``prov`` library's dot output.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from prov.dot import prov_to_dot  # noqa: E402
from seed import SAMPLES, annotate_gold  # noqa: E402

from annotator.db import Database  # noqa: E402
from annotator.interop import prov as iprov  # noqa: E402
from annotator.interop.dataset import load  # noqa: E402
from annotator.service import Service  # noqa: E402

OUT = ROOT / "docs" / "images" / "prov-seed-chain.png"
PROVN = ROOT / "docs" / "prov-seed-chain.provn"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(f"sqlite:///{Path(tmp) / 'seed.sqlite3'}")
        ana = Service(db, user="ana")
        art = ana.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
        annotate_gold(ana, art.id)
        q = next(q for q in ana.quotes(art.id) if q.text.startswith("it would only accept a truce"))
        ana.set_status(q.id, "needs_review")
        Service(db, user="rui").approve(q.id, "checked against the CNN piece")
        doc = iprov.build_document(load(db, status="verified"))
        db.close()
    PROVN.write_text(doc.get_provn() + "\n", encoding="utf-8")
    dot = prov_to_dot(doc, use_labels=True, show_element_attributes=False, show_relation_attributes=True)
    dot.set("dpi", "96")
    dot.write_png(str(OUT))
    print(f"wrote {OUT.relative_to(ROOT)} and {PROVN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
