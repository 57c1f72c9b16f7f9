"""The rule language: rule-file text in, a syntax tree per file out.

``parser`` runs the one Lark grammar (``grammar/evx.lark``) and turns Lark's errors into
friendly ones from the ``syntax_errors`` table; ``transform`` builds the ``ast`` nodes;
``loader`` reads files, follows imports and reads lexicon files. ``builtins`` lists the
names the language predefines and ``analysis`` answers static questions about patterns
for the stages after it. Nothing here checks meaning: that is :mod:`evx.check`.
"""
