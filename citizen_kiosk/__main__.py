from citizen_kiosk.cli import main

raise SystemExit(main())
