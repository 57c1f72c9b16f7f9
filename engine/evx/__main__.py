"""`python -m evx`: the `evx` command."""

from evx.cli import main

raise SystemExit(main())
