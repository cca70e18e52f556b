"""`python -m ms_ref`."""

import sys

from ms_ref.main import main

sys.exit(main())
