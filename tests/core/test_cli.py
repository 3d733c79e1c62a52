"""The ``annotator`` command line: tables, --json, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from seed import SAMPLES

from annotator.cli import main
from annotator.importing import article_files


@pytest.fixture
def run(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", url, "--user", "ana", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_import_annotate_and_show_a_chain(run) -> None:
    code, out, _ = run("import", str(SAMPLES))
    assert code == 0 and f"{len(article_files(SAMPLES))} imported" in out
    code, out, _ = run(
        "add-quote",
        "1",
        "--text",
        "it would only accept a truce if Ukraine withdrew from territories it still controls",
        "--speaker",
        "organization/Moscow",
        "--via",
        "anonymous/a Turkish official:according to",
        "--via",
        "outlet/CNN:quoted by",
        "--cue",
        "made it clear",
    )
    assert code == 0, out
    assert "Moscow ← a Turkish official ← CNN ← El País" in out
    code, out, _ = run("--json", "chain", "1")
    data = json.loads(out)
    assert [link["role"] for link in data["chain"]] == ["speaker", "hop 1", "hop 2", "outlet"]
    assert [link["relation"] for link in data["chain"]][1:3] == ["according to", "quoted by"]
    assert data["quote"]["start"] == 1571
    code, out, _ = run("status", "1", "needs_review", "--note", "check CNN piece")
    assert code == 0 and "unverified → needs_review" in out
    code, out, _ = run("quotes", "--article", "1")
    assert "needs_review" in out and "Moscow" in out
    code, out, _ = run("audit", "verify")
    assert code == 0 and "audit log OK" in out


def test_errors_are_one_line_with_non_zero_exit(run) -> None:
    run("import", str(SAMPLES / "istanbul-talks.txt"))
    code, out, err = run("add-quote", "1", "--text", "words that are not there")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and err.startswith(
        "annotator: error: the text 'words that are not there'"
    )
    code, _, err = run("add-quote", "1", "--start", "5000", "--end", "5120")
    assert code == 1 and "offset 5120 is past the end of article" in err and "(4,423 characters)" in err
    code, _, err = run("add-quote", "1", "--text", "Ukraine", "--speaker", "Nobody")
    assert code == 1 and "occurs" in err
    code, _, err = run("add-quote", "1", "--text", "limited mandate", "--speaker", "Nobody")
    assert code == 1 and "no source named 'Nobody'" in err
    code, _, err = run("chain", "999")
    assert code == 1 and "no quote with id 999" in err


def test_import_reports_refused_files_and_goes_on(run, tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("A short article.\n\n“Fine,” she said.\n", encoding="utf-8")
    code, out, err = run("import", str(tmp_path / "empty.txt"), str(tmp_path / "good.txt"))
    # The good file is imported, the empty one refused; a refused file makes the exit code 1.
    assert code == 1 and "1 imported" in out and "1 refused" in out
    assert "empty.txt" in err and "empty" in err


def test_import_recursive_warnings_summary_and_exit_code(run, tmp_path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "top.txt").write_text("A top article.\n\n“Fine,” she said.\n", encoding="utf-8")
    (folder / "sub" / "spoof.txt").write_text(
        "Title: Innocent\u202egnp.exe\n---\nA nested article.\n\n“Fine,” he said.\n", encoding="utf-8"
    )
    code, out, err = run("import", str(folder))
    assert code == 0 and out.strip().splitlines()[-1] == "1 imported, 0 refused"
    code, out, err = run("--json", "import", "--recursive", str(folder))
    data = json.loads(out)
    assert code == 0 and [a["path"] for a in data["imported"]] == [str(folder / "sub" / "spoof.txt")]
    assert data["warnings"] == [
        {"path": str(folder / "sub" / "spoof.txt"), "warning": "removed bidi control characters (U+202E) "
         "from the title"}
    ]  # fmt: skip
    assert data["summary"] == "1 imported, 1 already there, 0 refused, 1 with warnings"
    (folder / "sub" / "again.txt").write_text(
        "Title: Second\u202eone\n---\nAnother nested article.\n", encoding="utf-8"
    )
    (folder / "sub" / "empty.txt").write_bytes(b"")
    code, out, err = run("import", "-r", str(folder))
    assert code == 1
    assert out.strip().splitlines()[-1] == "1 imported, 2 already there, 1 refused, 2 with warnings"
    assert f"{folder / 'sub' / 'again.txt'}: removed bidi control characters (U+202E) from the title" in err
    assert f"refused   {folder / 'sub' / 'empty.txt'}:" in err


def test_json_lists_for_scripts(run) -> None:
    run("import", str(SAMPLES))
    code, out, _ = run("--json", "articles")
    arts = json.loads(out)
    assert code == 0 and len(arts) == len(article_files(SAMPLES))
    assert {"id", "title", "outlet", "quotes"} <= set(arts[0])
    code, out, _ = run(
        "add-source", "person", "Volodimir Zelensky", "--alias", "Zelensky", "--alias", "Zelenskyy"
    )
    assert code == 0
    code, out, _ = run("sources", "--json", "--search", "zelenskyy")
    assert [s["name"] for s in json.loads(out)] == ["Volodimir Zelensky"]


def test_console_script_is_installed(tmp_path) -> None:
    exe = subprocess.run([sys.executable, "-m", "annotator.cli", "--db", str(tmp_path / "x.sqlite3"), "info"],
                         capture_output=True, text=True)  # fmt: skip
    assert exe.returncode == 0 and "schema_revision" in exe.stdout
