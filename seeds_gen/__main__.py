"""`python -m seeds_gen`: generate the CSV seeds."""

from seeds_gen.cli import main

raise SystemExit(main())
