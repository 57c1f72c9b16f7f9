"""`evx view` and `evx run --format html`: one self-contained HTML page of a run, checked as parsed HTML and as rendered by headless Chromium."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import evx
from evx.cli import main
from evx.tools.html import DocumentView, render_html

ROOT = Path(__file__).parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"
NASTY = 'Hamas freed three hostages on Monday, officials said. <script>alert("x")</script> & "quotes" \'too\'.'


class Page(HTMLParser):
    """What a test looks at in a page: marks, the text of each document, external references."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str | None]] = []
        self.texts: list[str] = []
        self.tags: list[str] = []
        self.external: list[str] = []
        self._in_text = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href"):
            value = found.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag == "mark":
            self.marks.append(found)
        if self._in_text:
            self._depth += 1
        elif tag == "div" and found.get("class") == "text":
            self._in_text, self._depth = 1, 0
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in_text:
            if self._depth == 0:
                self._in_text = 0
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_text:
            self.texts[-1] += data


def _parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def rules() -> evx.RuleSet:
    return evx.load(RULES)


def test_page_is_self_contained_and_escapes_all_text(rules: evx.RuleSet) -> None:
    """No script, no external reference; document text comes back exactly, markup and all."""
    doc = evx.Document.from_text(NASTY, "nasty <doc>.txt")
    view = DocumentView(doc.id, doc.text, tuple(rules.extract(doc, doc.id)))
    page = render_html(rules, [view], title="a <title> & more")
    parsed = _parse(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert parsed.external == []
    assert parsed.texts == [NASTY]  # highlights cut the text but lose nothing, escape everything
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<title>a &lt;title&gt; &amp; more</title>" in page


def test_triggers_and_arguments_are_highlighted_by_type(rules: evx.RuleSet) -> None:
    """Each argument of a record is a <mark> of its event type, titled with its record and rule."""
    doc = evx.Document.from_text("Hamas freed three hostages on Monday, officials said.", "d")
    events = tuple(rules.extract(doc, "d"))
    page = render_html(rules, [DocumentView("d", doc.text, events)])
    marks = _parse(page).marks
    types = {m["data-type"] for m in marks}
    assert {"HostageRelease", "AnonymousSource"} <= types
    freed = [m for m in marks if m["data-type"] == "HostageRelease"]
    assert any("trigger of #" in (m["title"] or "") for m in freed)
    assert any("hostages.rules:release_active" in (m["title"] or "") for m in freed)
    assert 'id="d0-r1"' in page
    assert "stated, hostages.rules:release_active" in page  # provenance in the record table


def test_summary_counts_types_and_rules_and_names_rules_that_never_fired(
    rules: evx.RuleSet,
) -> None:
    """The summary has records per type and per rule (file:line), and the rules that never fired."""
    doc = evx.Document.from_text("Hamas freed three hostages on Monday.", "d")
    page = render_html(rules, [DocumentView("d", doc.text, tuple(rules.extract(doc, "d")))])
    assert "<tr><td>HostageRelease</td><td>1</td></tr>" in page
    pack = (Path(__file__).resolve().parent.parent / "rules" / "hostages.rules").read_text("utf-8")
    line = pack.splitlines().index("rule release_active -> HostageRelease {") + 1
    assert f"hostages.rules:{line} (release_active)" in page
    never = page[page.index('<p id="never">') :].split("</p>")[0]
    assert "ceasefire.rules:truce" in never and "release_active" not in never


def test_cli_view_writes_one_page_with_an_index(tmp_path: Path) -> None:
    """`evx view RULES INPUTS -o page.html` writes the page: an index entry and a section per document."""
    target = tmp_path / "report.html"
    err = io.StringIO()
    status = main(
        ["view", str(RULES), str(SEEDS), "-o", str(target), "--no-cache"], io.StringIO(), err
    )
    assert status == 0, err.getvalue()
    page = target.read_text(encoding="utf-8")
    n = len(list(SEEDS.glob("*.txt")))
    assert page.count('<section class="doc"') == n
    assert page.count('<a href="#d') == n
    assert "wrote" in err.getvalue()


# ---------------------------------------------------------------- evx run --format html


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The seed articles, a binary file (D002) and one that is not UTF-8 (D001)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, docs / seed.name)
    (docs / "zz_binary.txt").write_bytes(b"Hamas freed\x00 three hostages.")
    (docs / "zz_latin.txt").write_bytes(
        "Hamas freed three hostages in Rafah, caf\xe9.".encode("cp1252")
    )
    return docs


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([*args, "--no-cache"], out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_run_format_html_writes_the_page_evx_show_writes(
    tmp_path: Path, inputs: Path, jobs: str
) -> None:
    """`evx run --format html` (or -o *.html) writes byte for byte the page `evx show` writes
    for the same inputs, failed documents included, with any number of workers; without
    -o the page goes to stdout."""
    shown, ran = tmp_path / "show.html", tmp_path / "run.html"
    status, _out, err = _main("show", str(RULES), str(inputs), "-o", str(shown))
    assert status == 1, err  # two documents failed, and the page says so
    status, _out, err = _main("run", str(RULES), str(inputs), "-o", str(ran), "-j", jobs)
    assert status == 1 and "D002" in err and "D001" in err
    page = shown.read_text(encoding="utf-8")
    assert ran.read_text(encoding="utf-8") == page
    status, out, _err = _main("run", str(RULES), str(inputs), "--format", "html", "-q")
    assert status == 1 and out == page
    parsed = _parse(page)
    assert len(parsed.texts) == len(list(SEEDS.glob("*.txt")))  # a text per readable document
    assert page.count('<p class="error">') == 2 and "D002 binary data" in page
    assert {"HostageRelease", "CeasefirePhase", "AnonymousSource"} <= {
        m["data-type"] for m in parsed.marks
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "run.html", "show.html"]


def test_run_html_leaves_out_what_on_decode_error_skip_skips(inputs: Path) -> None:
    """The documents --on-decode-error skip leaves out (D001, D002) have no section nor index entry."""
    status, out, _err = _main(
        "run", str(RULES), str(inputs), "--format", "html", "-q", "--on-decode-error", "skip"
    )
    assert status == 0
    assert "zz_latin.txt" not in out and "zz_binary.txt" not in out
    assert out.count('<section class="doc"') == len(list(SEEDS.glob("*.txt")))


def test_run_html_cannot_be_resumed(tmp_path: Path) -> None:
    """--resume refuses an HTML output with a usage error (exit 2): a page cannot be continued."""
    status, _out, err = _main(
        "run", str(RULES), str(SEEDS), "-o", str(tmp_path / "r.html"), "--resume"
    )
    assert status == 2
    assert "html output cannot be continued" in err


def test_an_interrupted_html_run_keeps_the_page_of_the_documents_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C: exit 130, -o as it was, and FILE.partial a whole page of the documents
    finished before the interrupt."""
    real = evx.RuleSet.outcomes

    def interrupted(self: evx.RuleSet, *args: object, **kwargs: object) -> object:
        for n, outcome in enumerate(real(self, *args, **kwargs)):  # type: ignore[arg-type]
            if n == 2:
                raise KeyboardInterrupt
            yield outcome

    monkeypatch.setattr(evx.RuleSet, "outcomes", interrupted)
    target = tmp_path / "report.html"
    target.write_text("previous page\n", encoding="utf-8")
    status, _out, err = _main("run", str(RULES), str(SEEDS), "-o", str(target))
    assert status == 130 and "interrupted after 2 documents" in err
    assert target.read_text(encoding="utf-8") == "previous page\n"
    partial = (tmp_path / "report.html.partial").read_text(encoding="utf-8")
    assert partial.startswith("<!DOCTYPE html>") and partial.endswith("</body></html>\n")
    assert partial.count('<section class="doc"') == 2 and "<p>2 documents," in partial


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [["view"], ["run", "--format", "html", "-q"]], ids=["view", "run"]
)
def test_headless_chromium_renders_the_highlights(tmp_path: Path, command: list[str]) -> None:
    """Opened in headless Chromium, the page's DOM holds the highlights, and a screenshot is
    taken: the page of `evx view` and that of `evx run --format html`."""
    browser = _chromium()
    if browser is None:
        if os.environ.get("EVX_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed, and EVX_REQUIRE_BROWSER is set (.ci/run)")
        pytest.skip("chromium is not installed")
    target = tmp_path / "report.html"
    assert (
        main(
            [*command, str(RULES), str(SEEDS), "-o", str(target), "--no-cache"],
            io.StringIO(),
            io.StringIO(),
        )
        == 0
    )
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = target.as_uri()
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    parsed = _parse(dom)
    assert len(parsed.texts) == len(list(SEEDS.glob("*.txt")))
    assert {"HostageRelease", "CeasefirePhase", "AnonymousSource"} <= {
        m["data-type"] for m in parsed.marks
    }
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1280,1600", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a page was drawn, not a blank
