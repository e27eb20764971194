import gc

gc.disable()  # as early as possible: see `citizen_kiosk.cli.main`, which pauses it for the console script too

from citizen_kiosk.cli import main  # noqa: E402 - after gc.disable(): importing the CLI is part of start-up

raise SystemExit(main())
