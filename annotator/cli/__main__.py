"""``python -m annotator.cli``."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
