from dlcourse.cli import main

raise SystemExit(main())
