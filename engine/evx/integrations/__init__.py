"""Bridges to other NLP tools; each module needs its own extra (``spacy`` needs ``evx[spacy]``)."""
