"""The one error envelope: `{success: false, error: {code, message, details}}`.

Every failure a client can see is an ApiError; its message is written for that client and
never contains a stack trace, a header value or a secret.
"""

from __future__ import annotations

from typing import Any


class DockrionRuntimeError(Exception):
    """The root of every error the runtime raises on its own (as DockrionError is for the tools).

    `except DockrionRuntimeError` tells the runtime's own failures (config, secrets, auth setup,
    agent loading, API errors) from bugs and from errors raised by the agent's code.
    """


class ApiError(DockrionRuntimeError):
    status = 500
    code = "InternalError"
    default_message = "the server could not complete the request"

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ):
        self.message = message or self.default_message
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)

    def envelope(self, request_id: str | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "details": self.details}
        if request_id:
            error["request_id"] = request_id
        return {"success": False, "error": error}


class BadRequest(ApiError):
    status, code, default_message = 400, "BadRequest", "the request is malformed"


class InvalidJson(BadRequest):
    code = "InvalidJSON"
    default_message = "the request body is not valid JSON"


class Unauthorized(ApiError):
    status, code, default_message = 401, "Unauthorized", "missing or invalid credentials"


class Forbidden(ApiError):
    status, code, default_message = 403, "Forbidden", "the caller lacks the required permission"


class PolicyViolation(ApiError):
    status, code, default_message = 403, "PolicyViolationError", "the request violated a safety policy"


class PromptInjectionBlocked(PolicyViolation):
    code = "PromptInjectionError"
    default_message = "the input looks like a prompt-injection attempt"


class ToolDenied(ApiError):
    status, code, default_message = 403, "ToolDeniedError", "the agent tried to use a tool that is not allowed"


class NotFound(ApiError):
    status, code, default_message = 404, "NotFound", "no such endpoint"


class MethodNotAllowed(ApiError):
    status, code, default_message = 405, "MethodNotAllowed", "method not allowed on this endpoint"


class PayloadTooLarge(ApiError):
    status, code, default_message = 413, "PayloadTooLarge", "the request body is too large"


class UnsupportedMediaType(ApiError):
    status, code = 415, "UnsupportedMediaType"
    default_message = "the request body must be JSON (Content-Type: application/json)"


class InputValidationFailed(ApiError):
    status, code, default_message = 422, "ValidationError", "the input does not match the agent's input schema"


class RateLimited(ApiError):
    status, code, default_message = 429, "RateLimitExceeded", "rate limit exceeded"


class AgentFailed(ApiError):
    status, code, default_message = 500, "AgentError", "the agent failed while handling the request"


class OutputValidationFailed(ApiError):
    status, code, default_message = 500, "OutputValidationError", "the agent's output does not match its output schema"


class AgentNotReady(ApiError):
    status, code, default_message = 503, "AgentNotReady", "the agent is not ready"


class AgentTimeout(ApiError):
    status, code, default_message = 504, "Timeout", "the agent did not finish in time"


class ScreeningTimeout(AgentTimeout):
    """Safety screening of one input or output ran past its time bound (policies/screening.py)."""

    default_message = "screening the request did not finish in time"


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: InputValidationFailed,
    429: RateLimited,
    503: AgentNotReady,
    504: AgentTimeout,
}


def error_for_status(status: int) -> ApiError:
    """The envelope error for a framework-raised HTTP status (404/405 from routing, ...)."""
    kind = _BY_STATUS.get(status)
    if kind is not None:
        return kind()
    error = ApiError()
    error.status = status
    return error
