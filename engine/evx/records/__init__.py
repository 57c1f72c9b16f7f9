"""Records: the typed event records built from kept matches, and their output contract.

``events`` defines the record classes; ``build`` turns an annotated document into records
(fields, `resolve:` antecedents, `merge:`, provenance); ``jsonschema`` derives the JSON
Schema of the records from the event declarations.
"""
