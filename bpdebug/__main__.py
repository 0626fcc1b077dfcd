from bpdebug.cli import main

raise SystemExit(main())
