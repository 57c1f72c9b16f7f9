"""Matching: a checked rule set compiled to programs, then run over documents.

``compiler`` builds each rule from ``patterns`` (programs made with ``automaton``),
``tokens`` (token-test predicates), ``lexicons`` (tries), ``prefilter`` (the keys that
pick rules and start positions) and ``expressions`` (`set:` and `where:` closures).
``matcher`` runs the rules of a document label by label; ``vm`` runs one program over a
sentence in linear time; ``scope`` is what expressions see of one match.
"""
