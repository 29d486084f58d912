"""`python -m dockrion_runtime --config /app/dockrion.json [--host H] [--port N] [--app-dir D]`

Exit codes: 0 clean shutdown, 1 the agent failed to load or the server could not start,
2 usage, 78 unusable config (missing required secret, bad auth material, invalid config).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EX_CONFIG = 78


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dockrion_runtime",
                                     description="Serve a Dockfile-described agent over HTTP.")
    parser.add_argument("--config", help="normalized Dockfile JSON (env DOCKRION_CONFIG overrides; default /app/dockrion.json)")
    parser.add_argument("--host", help="bind address (default: expose.host)")
    parser.add_argument("--port", type=int, help="port (default: expose.port)")
    parser.add_argument("--app-dir", help="directory holding the agent's code (default: the config's directory)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .config import ConfigError, config_path_from, load_config
    from .secrets import MissingSecretError

    config_path = config_path_from(args.config, os.environ)
    try:
        config = load_config(config_path)
    except (ConfigError, MissingSecretError) as exc:
        return _fail(str(exc))

    from .telemetry.logs import configure_logging

    configure_logging(os.environ.get("DOCKRION_LOG_LEVEL") or config.observability.log_level)

    from .app import create_app
    from .auth import AuthSetupError
    from .io_contract import IoSchemaError
    from .policies.safety import RedactPatternError
    from .ratelimit import RateLimitSyntaxError
    from .server import DEFAULT_GRACE_SECONDS, serve

    app_dir = args.app_dir or str(Path(config_path).resolve().parent)
    try:
        app = create_app(config, app_dir=app_dir)
    except (AuthSetupError, RateLimitSyntaxError, RedactPatternError, IoSchemaError) as exc:
        return _fail(str(exc))

    try:
        grace = float(os.environ.get("DOCKRION_SHUTDOWN_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
    except ValueError:
        return _fail("DOCKRION_SHUTDOWN_GRACE_SECONDS must be a number of seconds")
    return serve(app, app.state.runtime, host=args.host or config.expose.host,
                 port=args.port if args.port is not None else config.expose.port, grace_seconds=grace)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EX_CONFIG


if __name__ == "__main__":
    sys.exit(main())
