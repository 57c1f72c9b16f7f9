"""Tools for rule authors, built on the façade: explain a rule, run examples, document errors."""
