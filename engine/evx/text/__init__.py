"""The document stage: bytes or text in, a tokenized :class:`~evx.text.document.Document` out.

``inputs`` names the documents of a run; ``tokenizer`` splits text into tokens with exact
offsets; ``sentences`` finds sentence boundaries; ``header`` reads the date and dateline;
``attributes`` lists the token attributes rules can test and computes the per-word ones;
``document`` holds it all as read-only columns. Nothing here knows about rules.
"""
