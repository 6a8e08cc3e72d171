"""Start-up speed: a fresh process answering /health vs importing the renderers.

    python -m bench.startup [--rounds N]

Target (DESIGN.md): app start plus the first /health answer <= 0.5x the time to import
matplotlib and py-staticmaps, measured as whole fresh interpreters in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEALTH = (
    "from api import create_app; c = create_app().test_client(); assert c.get('/health').status_code == 200"
)
RENDERERS = "import matplotlib.figure, matplotlib.backends.backend_agg, staticmaps"
NOTHING = "pass"


def run_ms(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    times: dict[str, list[float]] = {"interpreter": [], "health": [], "renderers": []}
    for _ in range(rounds):  # interleaved against machine noise
        times["interpreter"].append(run_ms(NOTHING))
        times["health"].append(run_ms(HEALTH))
        times["renderers"].append(run_ms(RENDERERS))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["interpreter"]
    health, renderers = medians["health"] - base, medians["renderers"] - base
    print(f"bare interpreter:                         {base:.0f} ms (subtracted below)")
    print(f"create_app() + first /health:             {health:.0f} ms")
    print(f"import matplotlib + staticmaps:           {renderers:.0f} ms")
    print(f"ratio: {health / renderers:.2f}x (target <= 0.5x)")


if __name__ == "__main__":
    main()
