"""`python -m seeds_gen`: generate the seeds; `python -m seeds_gen load`: load them;
`python -m seeds_gen live`: play the shop's events against the typed tables."""

import sys

if sys.argv[1:2] == ["load"]:
    from seeds_gen.load.cli import main as load_main

    raise SystemExit(load_main(sys.argv[2:]))

if sys.argv[1:2] == ["live"]:
    from seeds_gen.live.cli import main as live_main

    raise SystemExit(live_main(sys.argv[2:]))

from seeds_gen.cli import main

raise SystemExit(main())
