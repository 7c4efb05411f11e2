"""``python -m explorer`` does what the ``nn-explorer`` command does."""

import sys

from explorer.app import main

sys.exit(main())
