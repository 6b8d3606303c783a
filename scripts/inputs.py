"""Where the maintainers' inputs live: beside the project, never inside it or in the app's path.

``../shared/reference`` holds the sourced compilation that scripts/build_records.py and
build_boundaries.py read; ``../shared/datasets`` holds real third-party files some tests import.
A cloner without them can run the app and the fast tests; the tests that need them skip, naming
the missing folder.
"""

from pathlib import Path

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
REFERENCE_DIR = SHARED_DIR / "reference"
DATASETS_DIR = SHARED_DIR / "datasets"
