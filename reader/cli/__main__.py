"""``python -m reader.cli``: the same as the ``visavis`` command."""

import sys

from reader.cli import main

sys.exit(main())
