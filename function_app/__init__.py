"""Azure Functions entry point: every request goes to the Flask app through WSGI.

The folder-per-function model (this folder's function.json names this file and ``main``):
see the README, "Deployment", for why it is used instead of a root ``function_app.py``.
"""

from __future__ import annotations

import logging

import azure.functions as func

from api import create_app

# Created once per worker process, when the worker loads the function.
app = create_app()

# The middleware logs a line at INFO for every instance; one instance is made per request.
logging.getLogger("azure.functions.WsgiMiddleware").setLevel(logging.WARNING)


def main(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    # A middleware per request: its WSGI error stream would otherwise be shared by every
    # request of the worker, and once anything was written there, every later request fails.
    return func.WsgiMiddleware(app.wsgi_app).handle(req, context)
