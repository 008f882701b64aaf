"""`make bench`: every bench/*_bench.py, one after the other, each in its own process (see bench/README.md)."""

import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    failed = 0
    for script in sorted(Path(__file__).parent.glob("*_bench.py")):
        print(f"\n##### {script.name}", flush=True)
        failed |= subprocess.run([sys.executable, str(script)], check=False).returncode  # noqa: S603
    sys.exit(failed)
