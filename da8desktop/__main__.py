"""`python -m da8desktop` is the same as the `da8desktop` command."""

from da8desktop.cli.main import main

raise SystemExit(main())
