"""The property tests of the whole OpenAPI spec at 1,000 examples per operation.

    python -m bench.schemathesis_long [--examples N] [--minutes M] [--http]

Runs tests/test_schemathesis.py::test_api (every operation, positive and negative cases,
the same checks) with ``--examples`` per operation instead of the suite's 100, in a pytest
child process that is stopped (by its PID) after ``--minutes``; each operation is also
bounded by pytest-timeout. ``--http`` runs tests/test_schemathesis_http.py instead: the same
checks through real HTTP against the production server command at the production limits,
500 examples per operation by default, with a fresh seed (printed; CHARTMAP_TEST_SEED repeats
one). Exits with pytest's status.
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
    parser.add_argument("--examples", type=int, default=None, help="per operation (1,000; 500 with --http)")
    parser.add_argument("--http", action="store_true", help="through the production server")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("-k", default="test_api", help="pytest -k expression (default: test_api)")
    args = parser.parse_args()
    examples = args.examples or (500 if args.http else 1000)
    variable = "SCHEMATHESIS_HTTP_EXAMPLES" if args.http else "SCHEMATHESIS_MAX_EXAMPLES"
    env = {**os.environ, variable: str(examples)}
    target = "tests/test_schemathesis_http.py" if args.http else "tests/test_schemathesis.py"
    command = [sys.executable, "-m", "pytest", target, "-k", "test_api_over_http" if args.http else args.k]
    command += ["-q", "-p", "no:cacheprovider", "--no-cov", f"--timeout={int(args.minutes * 60)}"]
    print(" ".join(command[1:]), f"({variable}={examples})", flush=True)
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
