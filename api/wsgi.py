"""The WSGI app a production server runs: ``granian --interface wsgi ... api.wsgi:app``.

Importing this module starts building the app in the background (api/front.py)."""

from api.front import Front

app = Front()
