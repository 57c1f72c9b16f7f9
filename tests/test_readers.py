"""Readers: the seed articles as files, directories, JSON Lines, CSV and Parquet collections, compressed or not."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from evx.errors import DocumentError
from evx.text.decoding import decode
from evx.text.readers import (
    InputDocument,
    ReadOptions,
    ReadStats,
    count_documents,
    load_document,
    read_inputs,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_rows() -> list[dict[str, str]]:
    """The seed articles as collection rows: id (the file stem), text, and a source column."""
    return [
        {"id": p.stem, "text": p.read_text(encoding="utf-8"), "source": "seeds"} for p in SEED_FILES
    ]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(lines.encode()))
    elif path.suffix == ".zst":
        path.write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_parquet(path: Path, rows: list[dict[str, object]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def texts(docs: list[InputDocument]) -> list[tuple[str, str]]:
    out = []
    for doc in docs:
        payload = doc.read()
        out.append((doc.id, payload if isinstance(payload, str) else payload.decode("utf-8")))
    return out


def expected() -> list[tuple[str, str]]:
    return [(r["id"], r["text"]) for r in seed_rows()]


# ---------------------------------------------------------------- collections


@pytest.mark.parametrize(
    ("name", "writer"),
    [
        ("seeds.jsonl", write_jsonl),
        ("seeds.jsonl.gz", write_jsonl),
        ("seeds.jsonl.zst", write_jsonl),
        ("seeds.csv", write_csv),
        ("seeds.parquet", write_parquet),
    ],
)
def test_a_collection_gives_one_document_per_row_with_its_other_columns_as_meta(
    tmp_path: Path, name: str, writer: object
) -> None:
    """JSON Lines (plain, gzip, zstd), CSV and Parquet: each row is a document, id and text
    from their columns, every other column its metadata, in row order."""
    path = writer(tmp_path / name, seed_rows())  # type: ignore[operator]
    docs = list(read_inputs([path]))
    assert texts(docs) == expected()
    assert all(doc.meta == {"source": "seeds"} for doc in docs)


def test_id_and_text_fields_can_be_renamed_and_a_row_without_id_is_named_by_its_line(
    tmp_path: Path,
) -> None:
    """--id-field/--text-field choose the columns; without an id a row is file:line."""
    rows = [{"key": "a", "body": "Hamas freed two hostages."}, {"body": "Talks resumed."}]
    path = write_jsonl(tmp_path / "docs.jsonl", rows)  # type: ignore[arg-type]
    docs = list(read_inputs([path], ReadOptions(id_field="key", text_field="body")))
    assert texts(docs) == [("a", "Hamas freed two hostages."), (f"{path}:2", "Talks resumed.")]


def test_a_bad_row_fails_alone_at_its_line(tmp_path: Path) -> None:
    """Not JSON, not an object, no text, text not a string: each is D005 at file:line, and
    every other row is still read."""
    good = json.dumps({"id": "ok", "text": "Hamas freed two hostages."})
    lines = [
        good,
        "{not json",
        "[1, 2]",
        '{"id": "x", "body": "?"}',
        '{"id": 7, "text": 3}',
        "",
        good,
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results: list[tuple[str, str]] = []
    for doc in read_inputs([path]):
        try:
            doc.read()
            results.append((doc.id, "ok"))
        except DocumentError as exc:
            results.append((exc.doc, exc.code))
    assert results == [
        ("ok", "ok"),
        (f"{path}:2", "D005"),
        (f"{path}:3", "D005"),
        (f"{path}:4", "D005"),
        (f"{path}:5", "D005"),
        ("ok", "ok"),
    ]


def test_the_message_of_a_row_without_text_names_the_fields_it_has(tmp_path: Path) -> None:
    """The D005 message says which fields the row has and which option chooses another."""
    path = write_jsonl(tmp_path / "docs.jsonl", [{"id": "a", "body": "x"}])
    (doc,) = read_inputs([path])
    with pytest.raises(DocumentError) as info:
        doc.read()
    assert "no 'text' field (fields: id, body)" in info.value.message
    assert "--text-field" in info.value.message


def test_a_csv_row_with_a_stray_cell_fails_at_its_line_and_quoted_newlines_stay(
    tmp_path: Path,
) -> None:
    """RFC 4180 cells may hold commas and newlines; a row whose cells do not match the
    header is D005 at the line it starts on."""
    path = tmp_path / "docs.csv"
    path.write_text(
        'id,text\na,"Hamas freed, at last,\ntwo hostages."\nb,Talks,stalled\nc,Done.\n',
        encoding="utf-8",
    )
    results = []
    for doc in read_inputs([path]):
        try:
            results.append((doc.id, doc.read()))
        except DocumentError as exc:
            results.append((exc.doc, exc.code))
    assert results == [
        ("a", "Hamas freed, at last,\ntwo hostages."),
        (f"{path}:4", "D005"),
        ("c", "Done."),
    ]


def test_a_collection_without_the_text_column_is_one_clear_error(tmp_path: Path) -> None:
    """A CSV or Parquet file lacking the text column fails once, naming its columns."""
    csv_path = write_csv(tmp_path / "a.csv", [{"id": "1", "body": "x"}])
    pq_path = write_parquet(tmp_path / "a.parquet", [{"id": "1", "body": "x"}])
    for path in (csv_path, pq_path):
        (doc,) = read_inputs([path])
        with pytest.raises(DocumentError) as info:
            doc.read()
        assert info.value.code == "D005" and "columns: id, body" in info.value.message


def test_a_damaged_compressed_collection_keeps_the_rows_before_the_damage(tmp_path: Path) -> None:
    """A truncated .gz collection gives its first rows, then one D004 for the file."""
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in seed_rows() * 20).encode("utf-8"))
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    docs = list(read_inputs([path]))
    assert len(docs) >= 2
    with pytest.raises(DocumentError) as info:
        docs[-1].read()
    assert info.value.code == "D004" and info.value.doc == str(path)
    assert all(isinstance(d.read(), str) for d in docs[:-1])


def test_a_file_that_is_not_parquet_is_d004(tmp_path: Path) -> None:
    """pyarrow's refusal becomes a document error, not a traceback."""
    path = tmp_path / "docs.parquet"
    path.write_bytes(b"PAR1 not really")
    (doc,) = read_inputs([path])
    with pytest.raises(DocumentError) as info:
        doc.read()
    assert info.value.code == "D004"


def test_a_binary_parquet_text_column_is_decoded_under_the_policy(tmp_path: Path) -> None:
    """Bytes in the text column decode as the encoding says; bad ones are D001 or U+FFFD."""
    path = write_parquet(
        tmp_path / "b.parquet", [{"id": "a", "text": b"caf\xe9"}, {"id": "b", "text": b"ok"}]
    )
    docs = list(read_inputs([path]))
    with pytest.raises(DocumentError) as info:
        docs[0].read()
    assert info.value.code == "D001"
    latin = list(read_inputs([path], ReadOptions(encoding="cp1252")))
    assert texts(latin) == [("a", "café"), ("b", "ok")]
    replaced = list(read_inputs([path], ReadOptions(on_decode_error="replace")))
    assert texts(replaced)[0] == ("a", "caf\ufffd")


# ---------------------------------------------------------------- decoding


def test_a_cp1252_row_fails_in_utf8_and_reads_with_its_encoding(tmp_path: Path) -> None:
    """A collection in cp1252: D001 at its line under UTF-8; right with --encoding cp1252;
    U+FFFD with replace."""
    path = tmp_path / "docs.jsonl"
    path.write_bytes(
        '{"id": "a", "text": "Talks in Doha."}\n{"id": "b", "text": "The \u201cdeal\u201d."}\n'.encode(
            "cp1252"
        )
    )
    docs = list(read_inputs([path]))
    assert texts(docs[:1]) == [("a", "Talks in Doha.")]
    with pytest.raises(DocumentError) as info:
        docs[1].read()
    assert (info.value.code, info.value.doc) == ("D001", f"{path}:2")
    assert texts(list(read_inputs([path], ReadOptions(encoding="cp1252"))))[1] == (
        "b",
        "The \u201cdeal\u201d.",
    )
    replaced = texts(list(read_inputs([path], ReadOptions(on_decode_error="replace"))))
    assert replaced[1] == ("b", "The \ufffddeal\ufffd.")


def test_a_utf8_bom_is_accepted_in_files_and_collections(tmp_path: Path) -> None:
    """A leading UTF-8 byte-order mark is dropped, so offsets and ids are not shifted."""
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfHamas agreed.")
    (tmp_path / "b.csv").write_bytes(b"\xef\xbb\xbfid,text\nx,Hamas agreed.\n")
    (tmp_path / "c.jsonl").write_bytes(b'\xef\xbb\xbf{"id": "y", "text": "Hamas agreed."}\n')
    for name, doc_id in (("a.txt", None), ("b.csv", "x"), ("c.jsonl", "y")):
        (doc,) = read_inputs([tmp_path / name])
        assert load_document(doc.read(), doc.id).text == "Hamas agreed."
        if doc_id:
            assert doc.id == doc_id


def test_decoding_policies_for_a_text_file() -> None:
    """fail gives D001 naming the byte; replace gives U+FFFD; another encoding decodes;
    UTF-16 with its BOM decodes when asked for, and is D001 (not D002) when not."""
    data = "Caf\u00e9 talks".encode("cp1252")
    with pytest.raises(DocumentError) as info:
        decode(data, "a.txt")
    assert info.value.code == "D001" and "at byte 3" in info.value.message
    assert decode(data, "a.txt", replace=True) == "Caf\ufffd talks"
    assert decode(data, "a.txt", "cp1252") == "Café talks"
    utf16 = "Hamas agreed.".encode("utf-16")
    assert decode(utf16, "u.txt", "utf-16") == "Hamas agreed."
    with pytest.raises(DocumentError) as info:
        decode(utf16, "u.txt")
    assert info.value.code == "D001"
    with pytest.raises(DocumentError) as info:
        decode("a\x00b".encode("utf-16"), "u.txt", "utf-16")
    assert info.value.code == "D002"


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=200),
    st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1", "shift_jis"]),
    st.booleans(),
)
def test_decode_raises_nothing_but_document_errors(
    data: bytes, encoding: str, replace: bool
) -> None:
    """Whatever the bytes, encoding and policy: text, or DocumentError D001/D002."""
    try:
        text = decode(data, "fuzz", encoding, replace=replace)
    except DocumentError as exc:
        assert exc.code in {"D001", "D002"}
        assert not (replace and exc.code == "D001" and encoding != "utf-8")
    else:
        assert isinstance(text, str) and "\x00" not in text


# ---------------------------------------------------------------- round trips

ROW_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
ROWS = st.lists(st.tuples(st.text("abcxyz019-", min_size=1, max_size=8), ROW_TEXT), max_size=6)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.sampled_from(["jsonl", "jsonl.gz", "csv", "parquet"]))
def test_any_texts_survive_a_collection_round_trip(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]], kind: str
) -> None:
    """Any text (newlines, quotes, commas, NUL, astral characters) written as a row reads
    back the same, with its id, in order."""
    path = tmp_path_factory.mktemp("rt") / f"docs.{kind}"
    dicts = [{"id": i, "text": t} for i, t in rows]
    if kind.startswith("jsonl"):
        write_jsonl(path, dicts)  # type: ignore[arg-type]
    elif kind == "csv":
        if not dicts:
            return
        write_csv(path, dicts)
    else:
        write_parquet(path, dicts or [{"id": "x", "text": "y"}][:0])  # type: ignore[arg-type]
        if not dicts:
            return
    assert texts(list(read_inputs([path]))) == rows


# ---------------------------------------------------------------- files and directories


def test_a_directory_reads_its_text_files_recursively_and_counts_the_others(tmp_path: Path) -> None:
    """Sorted, recursive, *.txt and compressed *.txt by default; the other files are
    counted as skipped; --glob chooses others."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt.gz").write_bytes(gzip.compress(b"A."))
    (tmp_path / "sub" / "c.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(b"C."))
    (tmp_path / "notes.md").write_text("not a document", encoding="utf-8")
    write_jsonl(tmp_path / "gold.jsonl", [{"id": "g", "text": "G."}])
    stats = ReadStats()
    docs = list(read_inputs([tmp_path], stats=stats))
    assert [(Path(d).name, t) for d, t in texts(docs)] == [
        ("b.txt", "B."),
        ("a.txt.gz", "A."),
        ("c.txt.zst", "C."),
    ]
    assert stats.skipped_files == 2
    chosen = list(read_inputs([tmp_path], ReadOptions(globs=("*.jsonl", "sub/a*"))))
    assert [d for d, _ in texts(chosen)] == ["g", f"{tmp_path.as_posix()}/sub/a.txt.gz"]


def test_a_directory_with_nothing_to_read_is_an_error_not_an_empty_corpus(tmp_path: Path) -> None:
    """No file chosen in a directory is D006, saying how many files it has and what --glob does."""
    (tmp_path / "docs.jsonl").write_text("{}\n", encoding="utf-8")
    (doc,) = read_inputs([tmp_path])
    with pytest.raises(DocumentError) as info:
        doc.read()
    assert info.value.code == "D006"
    assert "none of its 1 files" in info.value.message and "--glob" in info.value.message


def test_a_damaged_gzip_text_file_is_an_os_error_for_d004(tmp_path: Path) -> None:
    """A .txt.gz that is not gzip fails when read (the runner reports D004)."""
    (tmp_path / "a.txt.gz").write_bytes(b"not gzip at all")
    (doc,) = read_inputs([tmp_path / "a.txt.gz"])
    with pytest.raises(OSError):
        doc.read()


def test_reading_is_lazy(tmp_path: Path) -> None:
    """A collection is read a row at a time: the first document comes before the rest of
    the file is even parsed (a broken tail does not stop it)."""
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "A."}\n' + "{broken\n" * 3, encoding="utf-8")
    first = next(iter(read_inputs([path])))
    assert first.read() == "A."


def test_count_documents_knows_files_parquet_and_plain_jsonl(tmp_path: Path) -> None:
    """The progress bar's total: known for text files, Parquet and plain JSON Lines;
    None for CSV and compressed collections."""
    write_jsonl(tmp_path / "a.jsonl", seed_rows())  # type: ignore[arg-type]
    write_parquet(tmp_path / "a.parquet", seed_rows())  # type: ignore[arg-type]
    write_csv(tmp_path / "a.csv", seed_rows())
    assert count_documents([SEEDS]) == len(SEED_FILES)
    assert count_documents([tmp_path / "a.jsonl", tmp_path / "a.parquet"]) == 2 * len(SEED_FILES)
    assert count_documents([tmp_path / "a.csv"]) is None


def test_stdin_can_be_a_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    """With an input format, - is read as that collection."""
    data = "".join(json.dumps(r) + "\n" for r in seed_rows()).encode("utf-8")

    class Stdin:
        buffer = io.BytesIO(data)

        def fileno(self) -> int:
            raise io.UnsupportedOperation

    monkeypatch.setattr(sys, "stdin", Stdin())
    docs = list(read_inputs(["-"], ReadOptions(input_format="jsonl")))
    assert texts(docs) == expected()
