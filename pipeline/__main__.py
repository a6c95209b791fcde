"""`python -m pipeline` runs the tarjama command line."""

from pipeline.cli import main

raise SystemExit(main())
