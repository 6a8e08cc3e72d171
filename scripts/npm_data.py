"""The data builders' one way to read a JSON file out of an npm package: from an unpacked
copy (``--package-dir``), or fetched with ``npm pack`` into a temporary folder."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any


def fetch_json(package_dir: Path | None, name: str, spec: str, member: str) -> Any:
    """The JSON file ``member`` of package ``name`` (``spec``: name@version for npm pack)."""
    if package_dir is not None:
        return json.loads((package_dir / name / member).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
        )
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
            extracted = tar.extractfile(f"package/{member}")
            assert extracted is not None
            return json.load(io.TextIOWrapper(extracted, encoding="utf-8"))
