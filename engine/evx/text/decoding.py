"""Bytes to text under an explicit policy: the encoding, and what an undecodable byte means.

UTF-8 is the default, with a leading byte-order mark dropped. An undecodable document is
``D001`` (the message names the encoding and the first bad byte) unless the caller asks for
replacement characters; a document holding NUL is binary data, ``D002``, under every
policy. No other exception comes out of :func:`decode`, whatever the bytes.
"""

from __future__ import annotations

import codecs
from typing import Final, NoReturn

from evx.errors import DocumentError

__all__ = ["DECODE_POLICIES", "canonical_encoding", "decode", "display_encoding"]

DECODE_POLICIES: Final = ("fail", "replace", "skip")
"""What ``--on-decode-error`` accepts: fail the document (D001), decode with U+FFFD
replacement characters, or leave the document out (counted, not a failure)."""

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_UTF8: Final = "utf-8"


def canonical_encoding(name: str) -> str:
    """The codec's own name for an encoding (``UTF8`` → ``utf-8``); LookupError when
    Python knows no such encoding."""
    return codecs.lookup(name).name


def display_encoding(encoding: str) -> str:
    """An encoding as messages name it: ``UTF-8``, else the codec name."""
    return "UTF-8" if encoding == _UTF8 else encoding


def decode(data: bytes, doc_id: str, encoding: str = _UTF8, *, replace: bool = False) -> str:
    """The text of ``data`` in ``encoding`` (a codec name, see :func:`canonical_encoding`).

    Raises :class:`DocumentError` ``D001`` when a byte does not decode (unless ``replace``:
    then it becomes U+FFFD) and ``D002`` for binary data (a NUL byte, or a NUL character
    once decoded for encodings that are not ASCII-compatible, such as UTF-16).
    """
    errors = "replace" if replace else "strict"
    if encoding == _UTF8:
        if data[:2] in _UTF16_BOMS:
            _fail(
                doc_id,
                "not valid UTF-8: starts with a UTF-16 byte-order mark at byte 0 "
                "(re-encode the file as UTF-8, or say --encoding utf-16)",
                "D001",
            )
        nul = data.find(b"\x00")
        if nul >= 0:
            _fail(doc_id, f"binary data, not text: NUL byte at byte {nul}", "D002")
        skip = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
        try:
            return str(memoryview(data)[skip:], _UTF8, errors)
        except UnicodeDecodeError as err:
            _fail(doc_id, f"not valid UTF-8: {err.reason} at byte {err.start + skip}", "D001")
    try:
        text = str(data, encoding, errors)
    except UnicodeDecodeError as err:
        _fail(
            doc_id,
            f"not valid {display_encoding(encoding)}: {err.reason} at byte {err.start}",
            "D001",
        )
    except (LookupError, ValueError) as err:  # an unknown codec, or one that is not text
        _fail(doc_id, f"cannot decode as {encoding}: {err}", "D001")
    nul = text.find("\x00")
    if nul >= 0:
        _fail(doc_id, f"binary data, not text: NUL character at character {nul}", "D002")
    return text


def _fail(doc_id: str, message: str, code: str) -> NoReturn:
    raise DocumentError(doc_id, message, code=code)
