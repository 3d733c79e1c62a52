"""Quotation marks (annotator.suggest.marks): conventions, nesting, unbalanced marks, paragraphs, dashes."""

from __future__ import annotations

import pytest

from annotator.suggest.marks import scan_marks


def quoted(text: str, depth: int | None = 0) -> list[str]:
    return [text[q.start : q.end] for q in scan_marks(text) if depth is None or q.depth == depth]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “we are ready” on Friday.", ["we are ready"]),  # English double
        ("He accused them of a ‘limited mandate’ that day.", ["limited mandate"]),  # English single
        ("„Wir sind bereit“, sagte er.", ["Wir sind bereit"]),  # German, Czech
        ("»Wir sind bereit«, sagte er.", ["Wir sind bereit"]),  # German books
        ("« Nous sommes prêts », a déclaré le ministre.", ["Nous sommes prêts"]),  # French, spaced
        ("«Estamos listos», dijo el ministro.", ["Estamos listos"]),  # Spanish
        ("„Jesteśmy gotowi” – powiedział premier.", ["Jesteśmy gotowi"]),  # Polish
        ("«Мы готовы», – заявил министр.", ["Мы готовы"]),  # Russian
        ("„Jsme připraveni“, řekl ministr.", ["Jsme připraveni"]),  # Czech
        ('He said "we are ready" and left.', ["we are ready"]),  # straight
        ("It is 'a scandal', she said.", ["a scandal"]),  # straight single
        ("「準備はできている」と述べた。", ["準備はできている"]),
    ],
)
def test_conventions(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The day's talks didn’t end: ‘we’ll see’, the minister's aide said; it's the Smiths’ turn."
    assert quoted(text) == ["we’ll see"]


def test_quote_inside_a_quote() -> None:
    text = "„Er sagte mir: ‚Das ist vorbei‘, und ging“, berichtete sie. “He said ‘no’ twice,” she said."
    assert quoted(text) == ["Er sagte mir: ‚Das ist vorbei‘, und ging", "He said ‘no’ twice,"]
    assert quoted(text, depth=1) == ["Das ist vorbei", "no"]
    # Russian: „…“ inside «…»
    assert quoted("«Он сказал: „нет“», – заявил министр.") == ["Он сказал: „нет“"]


def test_unbalanced_marks_are_ignored() -> None:
    assert quoted("He said “we are ready and left.\n\nNothing else.") == []
    assert quoted("A stray closing mark” here, then “a real one”.") == ["a real one"]
    assert quoted("„Offen und nie geschlossen. Dann „zu“ hier.") == ["zu"]


def test_quote_over_several_paragraphs() -> None:
    text = "“The first paragraph ends open.\n\n“The second goes on,” he said.\n\nAfter."
    (q,) = scan_marks(text)
    assert q.paragraphs == 2
    assert text[q.start : q.end] == "The first paragraph ends open.\n\n“The second goes on,"


def test_dialogue_dashes() -> None:
    text = "– To jest sukces – mówił premier. – Ale to nie koniec.\nDalej.\n— Мы готовы, — сказал министр."
    qs = [q for q in scan_marks(text) if q.dash]
    assert [text[q.start : q.end] for q in qs] == ["To jest sukces", "Ale to nie koniec.", "Мы готовы,"]
    # a dash in the middle of a paragraph is not dialogue
    assert quoted("Sein Herz – so scheint es – hat aufgegeben.") == []
