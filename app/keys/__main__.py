"""Run the API key command line (app.cli.keys) as `python -m app.keys`."""

import sys

from app.cli.keys import main

sys.exit(main())
