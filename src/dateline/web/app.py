"""The FastAPI application: security headers, the one error shape, templates and static files.

``create_app(repository)`` takes any ``Repository``; ``create_app_for_db(path)`` builds the
SQLite one. Pages and their JSON twins live in ``pages.py``; the optional write form in
``writes.py``.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import DatelineError, InputError
from .repository import Repository, SqliteRepository

log = logging.getLogger(__name__)

HERE = Path(__file__).parent

# Nothing inline, nothing from elsewhere: our own CSS and JS files, and SVG charts we render.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MACHINE_SUFFIXES = (".json", ".csv", ".svg", ".jsonl")


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.endswith(MACHINE_SUFFIXES) or path.startswith("/export/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every template, whatever its name: article text is hostile input
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_url"] = http_url
    return Jinja2Templates(env=env)


def http_url(value: str | None) -> str | None:
    """Only http(s) links leave the site: a stored ``javascript:`` URL must never become a link."""
    if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        return value
    return None


def error_response(request: Request, templates: Jinja2Templates, payload: dict) -> Response:
    if wants_json(request):
        return JSONResponse(payload, status_code=payload["status"])
    return templates.TemplateResponse(request, "error.html", {"error": payload, "write_enabled": False},
                                      status_code=payload["status"])


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


def create_app(repository: Repository, *, write_token: str | None = None, db_path: str | None = None,
               warm_charts: bool = True) -> FastAPI:
    """The web UI and JSON API over ``repository``; writes only when ``write_token`` is set."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_charts:
            from .charts import warm_up

            threading.Thread(target=warm_up, name="chart-warm-up", daemon=True).start()
        yield

    app = FastAPI(title="dateline", version=__version__, lifespan=lifespan,
                  description="Who did what to whom, when and where: every page of the UI has a JSON twin here.",
                  docs_url=None, redoc_url=None,  # the stock docs pages load JavaScript from a CDN
                  openapi_url="/openapi.json")
    templates = make_templates()
    app.state.repo = repository
    app.state.templates = templates
    app.state.write_token = write_token
    app.state.db_path = db_path

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(DatelineError)
    async def dateline_error(request: Request, exc: DatelineError):
        if exc.status >= 500:
            log.error("request %s failed: %s", request.url.path, exc.message)
        return error_response(request, templates, exc.to_dict())

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return error_response(request, templates, InputError(_validation_message(exc)).to_dict())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, templates, {"error": code, "message": message, "status": exc.status_code})

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from . import pages, writes

    app.include_router(pages.router)
    app.include_router(writes.router)
    return app


def create_app_for_db(path: str, **kw) -> FastAPI:
    return create_app(SqliteRepository(path), db_path=str(path), **kw)


__all__ = ["create_app", "create_app_for_db", "HTMLResponse", "CSP"]
