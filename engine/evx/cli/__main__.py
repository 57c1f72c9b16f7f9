"""`python -m evx.cli`: the `evx` command."""

from evx.cli import main

raise SystemExit(main())
