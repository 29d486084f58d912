"""The FastAPI application: routes, error handlers and start-up of the agent."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from .auth import Permission
from .config import RuntimeConfig
from .errors import AgentNotReady, ApiError, InputValidationFailed, error_for_status
from .jsonio import dumps
from .middleware import RequestContextMiddleware
from .openapi import build_openapi
from .runtime import Runtime
from .streaming import stream_run
from .telemetry.metrics import PROMETHEUS_CONTENT_TYPE
from .websocket import serve_websocket

_JSON = "application/json"


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, media_type=_JSON, headers=headers)


def create_app(config: RuntimeConfig, *, environ: Mapping[str, str] | None = None,
               app_dir: str | None = None, load_in_background: bool = True) -> FastAPI:
    """Build the app. Raises AuthSetupError / ValueError for unusable auth, rate-limit or policy
    settings, so a bad deployment fails at start-up rather than on the first request."""
    runtime = Runtime(config, environ=environ, app_dir=app_dir)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loader = asyncio.create_task(runtime.load()) if load_in_background else None
        if loader is None:
            await runtime.load()
        try:
            yield
        finally:
            if loader is not None and not loader.done():
                loader.cancel()
                await asyncio.wait({loader})
            runtime.screener.close()
            if runtime.langfuse is not None:
                # Flushing retries against an unreachable host; never hold shutdown hostage to it.
                flush = asyncio.ensure_future(asyncio.to_thread(runtime.langfuse.shutdown))
                await asyncio.wait({flush}, timeout=2)

    app = AgentApp(title=f"{config.agent.name} (dockrion agent)", version=runtime.version,
                   lifespan=lifespan, docs_url="/docs", redoc_url=None, openapi_url="/openapi.json",
                   **_WITHOUT_FASTAPI_TELEMETRY)
    app.state.runtime = runtime
    _install_error_handlers(app)
    direct_routes = _install_routes(app, runtime)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            if runtime.io is None:
                raise AgentNotReady("the API description is available once the agent has loaded",
                                    headers={"Retry-After": "1"})
            app.openapi_schema = build_openapi(app, runtime)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    cors = config.expose.cors
    if cors is not None and cors.origins:
        from starlette.middleware.cors import CORSMiddleware

        allowed_headers = {"content-type", "authorization", "x-request-id", "traceparent",
                           config.auth.api_keys.header.lower(), *(h.lower() for h in cors.headers)}
        cors_options: dict[str, Any] = {"allow_origins": cors.origins, "allow_methods": cors.methods,
                                        "allow_headers": sorted(allowed_headers),
                                        "expose_headers": ["x-request-id", "traceparent"]}
        app.add_middleware(CORSMiddleware, **cors_options)
        # The direct routes skip the app's middleware stack, so they get their own CORS layer.
        direct_routes = {key: CORSMiddleware(endpoint, **cors_options) for key, endpoint in direct_routes.items()}
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics, max_body_bytes=runtime.max_body_bytes)
    # Called only for the direct routes (serves_directly), so its `app` is never reached.
    app.direct = RequestContextMiddleware(app.router, metrics=runtime.metrics, max_body_bytes=runtime.max_body_bytes,
                                          direct_routes=direct_routes)
    return app


# The runtime exports no OpenTelemetry data (README: observability.tracing); FastAPI ≥ 0.165 would,
# and checks three OpenTelemetry providers (reading os.environ) on every request to find out.
_WITHOUT_FASTAPI_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False, "auto_configure": False}}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters else {})


class AgentApp(FastAPI):
    """FastAPI, plus a shortcut for the agent routes (POST /invoke, /invoke/stream).

    Those requests go to RequestContextMiddleware and then straight to their endpoint, without
    FastAPI's middleware stack and router: its five pass-through middleware layers, matching the
    path against every route and Starlette's request wrapper were a fifth of a request's CPU.
    The routes stay registered on the router, which serves every request the shortcut does not
    take (other methods, a root_path). RequestContextMiddleware answers any exception other than
    an ApiError with its last-resort 500, as it does behind the stack.
    """

    direct: RequestContextMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        direct = self.direct
        if direct is not None and scope["type"] == "http" and direct.serves_directly(scope):
            scope["app"] = self
            await direct(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def direct_route(endpoint: Callable[[Request], Awaitable[Response]]) -> ASGIApp:
    """`endpoint` as an ASGI app that answers an ApiError the way the app's handler does."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        try:
            response = await endpoint(request)
        except ApiError as exc:
            response = json_response(exc.envelope(scope["state"].get("request_id")), exc.status, exc.headers)
        await response(scope, receive, send)

    return serve


def _install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return json_response(exc.envelope(request.scope.get("state", {}).get("request_id")), exc.status, exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        error = error_for_status(exc.status_code)
        headers = dict(exc.headers or {})
        return json_response(error.envelope(request.scope.get("state", {}).get("request_id")),
                             exc.status_code, headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        error = InputValidationFailed(details=[{"path": "/" + "/".join(map(str, e.get("loc", ()))),
                                                "message": str(e.get("msg"))} for e in exc.errors()])  # type: ignore[attr-defined]
        return json_response(error.envelope(request.scope.get("state", {}).get("request_id")), error.status)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def _install_routes(app: FastAPI, runtime: Runtime) -> dict[tuple[str, str], ASGIApp]:
    """Adds the routes; returns the agent routes, keyed (method, path), for the shortcut (AgentApp)."""
    direct: dict[tuple[str, str], ASGIApp] = {}
    expose = runtime.config.expose

    @app.get("/health", tags=["operations"], summary="Liveness")
    async def health() -> Response:
        return json_response({"status": "ok", "agent": runtime.agent_name, "version": runtime.version})

    @app.get("/ready", tags=["operations"], summary="Readiness: 503 until the agent has loaded")
    async def ready() -> Response:
        if runtime.draining:
            raise AgentNotReady("the server is shutting down")
        runtime.require_ready()
        return json_response({"status": "ready", "agent": runtime.agent_name, "version": runtime.version})

    @app.get("/schema", tags=["agent"], summary="The agent's input and output JSON Schemas")
    async def schema() -> Response:
        if runtime.io is None:
            runtime.require_ready()
        io = runtime.io
        assert io is not None
        return json_response({"agent": runtime.agent_name, "version": runtime.version,
                              "framework": runtime.config.agent.effective_framework,
                              "input": io.input_schema, "output": io.output_schema, "strict": io.strict,
                              "streaming": expose.streaming != "none",
                              "websocket": expose.streaming == "websocket"})

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics (view_metrics when auth is on)")
    async def metrics(request: Request) -> Response:
        if runtime.auth.enabled:
            await runtime.admit(request, Permission.VIEW_METRICS)
        return Response(runtime.metrics.render(), media_type=PROMETHEUS_CONTENT_TYPE)

    # /invoke and /invoke/stream are plain Starlette routes: they read the body themselves, so
    # FastAPI's per-request dependency solving would be pure overhead. openapi.py documents them.
    async def invoke(request: Request) -> Response:
        adapter, io, payload = await runtime.admit_invocation(request)
        request_id = request.scope["state"]["request_id"]
        started = time.perf_counter()
        ctx = runtime.invocation_context(request_id)
        result = await runtime.run_agent(adapter.invoke(payload, ctx))
        output, truncated = await runtime.screener.screen_output(io.shape_output(result))
        metadata = runtime.run_metadata(ctx, started, truncated)
        runtime.record_trace(request=request, payload=payload, output=output, metadata=metadata)
        return json_response({"success": True, "output": output, "metadata": metadata})

    async def invoke_stream(request: Request) -> Response:
        adapter, io, payload = await runtime.admit_invocation(request)
        request_id = request.scope["state"]["request_id"]
        def traced(output: Any, metadata: dict[str, Any]) -> None:
            runtime.record_trace(request=request, payload=payload, output=output, metadata=metadata)

        events = stream_run(runtime, adapter, io, payload, runtime.invocation_context(request_id),
                            time.perf_counter(), on_end=traced)
        return StreamingResponse(events, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    if expose.rest:
        app.router.add_route("/invoke", invoke, methods=["POST"], include_in_schema=False)
        direct[("POST", "/invoke")] = direct_route(invoke)
    # SSE is served with `websocket` too: it is the same stream for clients (and proxies) that
    # cannot hold a WebSocket, under the same auth, limits and policies.
    if expose.streaming in ("sse", "websocket"):
        app.router.add_route("/invoke/stream", invoke_stream, methods=["POST"], include_in_schema=False)
        direct[("POST", "/invoke/stream")] = direct_route(invoke_stream)
    if expose.streaming == "websocket":
        async def invoke_ws(websocket: WebSocket) -> None:
            await serve_websocket(websocket, runtime)

        app.router.add_websocket_route("/invoke/ws", invoke_ws)
    return direct
