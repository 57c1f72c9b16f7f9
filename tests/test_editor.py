"""Editor support: the Pygments lexer of `.rules` files, and the language server driven with LSP messages."""

from __future__ import annotations

import json
import os
import select
import threading
from pathlib import Path
from typing import Any, BinaryIO

import pytest

pytest.importorskip("pygments")
pytest.importorskip("pygls")

from pygments.token import Error, Keyword, Name, Operator

from evx.tools.highlight import EvxLexer
from evx.tools.lsp import make_server

ROOT = Path(__file__).parent.parent
RULES = sorted((ROOT / "rules").glob("*.rules"))


@pytest.mark.parametrize("path", RULES, ids=[p.name for p in RULES])
def test_the_shipped_packs_lex_without_errors(path: Path) -> None:
    """Every shipped rule file lexes with no error token, and the tokens give the text back."""
    text = path.read_text(encoding="utf-8")
    tokens = list(EvxLexer().get_tokens_unprocessed(text))
    assert not [t for t in tokens if t[1] in Error]
    assert "".join(value for _pos, _type, value in tokens) == text


def test_the_lexer_tells_the_parts_of_a_rule_apart() -> None:
    """Declarations, clause keywords, labels, captures and built-ins get their own token types."""
    source = 'rule freed -> E {  # a rule\n  match: who:@Party "freed"\n  set: n = number(who)\n}\n'
    pairs = [(value, kind) for kind, value in EvxLexer().get_tokens(source)]
    kinds = {value: kind for value, kind in reversed(pairs)}  # each value's first kind
    assert kinds["rule"] is Keyword.Declaration and kinds["freed"] is Name.Class
    assert kinds["match"] is Keyword and kinds["set"] is Keyword
    assert kinds["@Party"] is Name.Label
    assert kinds["who"] is Name.Variable
    assert kinds["number"] is Name.Builtin


def test_labels_inside_token_tests_are_labels() -> None:
    """`[@Person & !@Org]`: the labels a token test reads are coloured as labels."""
    source = "rule r -> E { match: who:[@Person & !@Org]+ }\n"
    pairs = [(value, kind) for kind, value in EvxLexer().get_tokens(source)]
    assert ("@Person", Name.Label) in pairs and ("@Org", Name.Label) in pairs
    assert ("!", Operator) in pairs and ("&", Operator) in pairs


def test_the_lexer_is_registered_by_entry_point() -> None:
    """Pygments finds the lexer by name and by file name once evx is installed."""
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("evx"), EvxLexer)
    assert isinstance(get_lexer_for_filename("hostages.rules"), EvxLexer)


class Client:
    """An LSP client talking to an in-process server over two pipes."""

    def __init__(self) -> None:
        c2s_read, c2s_write = os.pipe()
        s2c_read, s2c_write = os.pipe()
        self.out: BinaryIO = os.fdopen(c2s_write, "wb", buffering=0)
        self.inp: BinaryIO = os.fdopen(s2c_read, "rb", buffering=0)
        server_in, server_out = os.fdopen(c2s_read, "rb"), os.fdopen(s2c_write, "wb")
        self.server = make_server()
        self.thread = threading.Thread(
            target=self.server.start_io, args=(server_in, server_out), daemon=True
        )
        self.thread.start()
        self.notifications: list[dict[str, Any]] = []
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.out.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        return ident

    def receive(self) -> dict[str, Any]:
        ready, _, _ = select.select([self.inp], [], [], 60)
        assert ready, "the language server sent nothing for 60 s"
        length = 0
        while True:
            line = b""
            while not line.endswith(b"\r\n"):
                line += self.inp.read(1)
            if line == b"\r\n":
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
        body = b""
        while len(body) < length:
            body += self.inp.read(length - len(body))
        return json.loads(body)  # type: ignore[no-any-return]

    def request(self, method: str, params: Any) -> Any:
        ident = self.send(method, params, request=True)
        while True:
            message = self.receive()
            if message.get("id") == ident and "method" not in message:
                assert "error" not in message, message
                return message.get("result")
            if "method" in message:
                self.notifications.append(message)

    def diagnostics_for(self, uri: str) -> list[dict[str, Any]]:
        """Wait for the next diagnostics published for `uri`."""
        for message in self.notifications:
            if (
                message["method"] == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == uri
            ):
                self.notifications.remove(message)
                return message["params"]["diagnostics"]  # type: ignore[no-any-return]
        while True:
            message = self.receive()
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == uri
            ):
                return message["params"]["diagnostics"]  # type: ignore[no-any-return]
            self.notifications.append(message)

    def close(self) -> None:
        self.request("shutdown", None)
        self.send("exit", None)
        self.thread.join(timeout=10)


PACK = {
    "common.rules": "mention Quantity: int {\n    match: [num]+\n    value: number(match)\n}\nlexicon verb = { free, release }\n",
    "main.rules": "event Release {\n    count: integer?\n}\nrule freed -> Release {\n    match: verb count:@Quantity\n}\n",
}


def test_the_language_server_publishes_diagnostics_and_finds_definitions(tmp_path: Path) -> None:
    """Open a file: its `evx check` error comes back as a diagnostic; save it fixed: cleared; @Quantity goes to its mention."""
    for name, text in PACK.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    main = tmp_path / "main.rules"
    uri = main.resolve().as_uri()
    client = Client()
    try:
        result = client.request(
            "initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
        )
        assert result["capabilities"]["definitionProvider"]
        client.send("initialized", {})
        item = {
            "uri": uri,
            "languageId": "evx",
            "version": 1,
            "text": main.read_text(encoding="utf-8"),
        }
        client.send("textDocument/didOpen", {"textDocument": item})
        (diagnostic,) = client.diagnostics_for(uri)
        assert diagnostic["code"] == "E105"
        assert diagnostic["severity"] == 1 and diagnostic["source"] == "evx"
        assert diagnostic["range"] == {
            "start": {"line": 1, "character": 11},
            "end": {"line": 1, "character": 19},
        }
        assert "did you mean `int`?" in diagnostic["message"]

        main.write_text(PACK["main.rules"].replace("integer?", "int?"), encoding="utf-8")
        client.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert client.diagnostics_for(uri) == []

        where = client.request(
            "textDocument/definition",
            {
                "textDocument": {"uri": uri},
                "position": {"line": 4, "character": 25},
            },  # on @Quantity
        )
        assert where["uri"] == (tmp_path / "common.rules").resolve().as_uri()
        assert where["range"]["start"] == {"line": 0, "character": 8}
        verb = client.request(
            "textDocument/definition",
            {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 12}},  # on verb
        )
        assert verb["range"]["start"] == {"line": 4, "character": 8}
    finally:
        client.close()


def test_the_textmate_grammar_knows_the_language_words() -> None:
    """editors/evx.tmLanguage.json is valid, its regexes compile, and it names every reserved word and built-in."""
    import re

    from evx.lang.builtins import LIST_FUNCTIONS, VALUE_FUNCTIONS, WINDOWS
    from evx.lang.syntax_errors import RESERVED_WORDS

    grammar = json.loads((ROOT / "editors" / "evx.tmLanguage.json").read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.evx" and grammar["fileTypes"] == ["rules"]
    text = " ".join(p["match"] for p in grammar["patterns"])
    for pattern in grammar["patterns"]:
        re.compile(pattern["match"])
    words = set(re.findall(r"[a-z_]+", text))
    assert words >= RESERVED_WORDS
    assert {*VALUE_FUNCTIONS, *WINDOWS, *LIST_FUNCTIONS} <= words
    sample = 'rule r -> E { match: who:@Party "freed" # note\n set: n = number(who) }'
    labels = next(p for p in grammar["patterns"] if p.get("name") == "variable.other.label.evx")
    assert re.findall(labels["match"], sample) == ["@Party"]
    assert re.findall(labels["match"], "match: [@Person & !@Org]+") == ["@Person", "@Org"]
