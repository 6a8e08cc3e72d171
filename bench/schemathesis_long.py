"""The property tests of the whole OpenAPI spec at 1,000 examples per operation.

    python -m bench.schemathesis_long [--examples N] [--minutes M]

Runs tests/test_schemathesis.py::test_api (every operation, positive and negative cases,
the same checks) with ``--examples`` per operation instead of the suite's 100, in a pytest
child process that is stopped (by its PID) after ``--minutes``; each operation is also
bounded by pytest-timeout. Exits with pytest's status.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("-k", default="test_api", help="pytest -k expression (default: test_api)")
    args = parser.parse_args()
    env = {**os.environ, "SCHEMATHESIS_MAX_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "tests/test_schemathesis.py", "-k", args.k]
    command += ["-q", "-p", "no:cacheprovider", "--no-cov", f"--timeout={int(args.minutes * 60)}"]
    print(" ".join(command[1:]), f"(SCHEMATHESIS_MAX_EXAMPLES={args.examples})", flush=True)
    with subprocess.Popen(command, cwd=ROOT, env=env) as child:
        try:
            code = child.wait(args.minutes * 60 + 60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            print(f"stopped after {args.minutes:.0f} minutes", flush=True)
            code = 1
    sys.exit(code)


if __name__ == "__main__":
    main()
