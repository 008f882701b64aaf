"""`make bench`: every benchmark of the project, one after the other (see bench/README.md)."""

import runpy
from pathlib import Path

if __name__ == "__main__":
    runpy.run_path(str(Path(__file__).with_name("search_bench.py")), run_name="__main__")
