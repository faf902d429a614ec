"""`python -m desktop` is the `callsheet` command."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    # Demo data is generated in a helper process; a frozen (PyInstaller) build needs this.
    multiprocessing.freeze_support()
    sys.exit(main())
