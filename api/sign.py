"""Sign image URLs for a server that has a signing secret:

    CHARTMAP_URL_SIGNING_SECRET=... python -m api.sign 'https://maps.example.org/maps/static?center=Paris&zoom=5'

prints the URL with ``&signature=`` appended (a signature it already had is replaced). The
secret is read from the environment, never from the command line (shell history, ``ps``).
``python -m api.sign --new-secret`` prints a fresh secret in Google's format.
"""

from __future__ import annotations

import argparse
import os
import sys

from api.signing import SECRET_VARIABLE, new_secret, sign_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m api.sign", description="Sign image URLs as Google Static Maps signs them."
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="absolute URL, or a path with its query")
    parser.add_argument("--new-secret", action="store_true", help="print a new random secret and exit")
    args = parser.parse_args(argv)
    if args.new_secret:
        print(new_secret())
        return 0
    if not args.urls:
        parser.error("give at least one URL")
    secret = os.environ.get(SECRET_VARIABLE, "")
    if not secret:
        parser.error(f"set {SECRET_VARIABLE} to the server's signing secret")
    try:
        signed = [sign_url(url, secret) for url in args.urls]
    except ValueError as exc:
        parser.error(str(exc))
    print("\n".join(signed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
