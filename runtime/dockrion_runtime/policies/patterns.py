"""Dockfile-supplied regexes (`redact_patterns`, `io_schema` `pattern`/`patternProperties`) run on
RE2 (the `google-re2` package): matching is linear in the input, so no pattern can make one
request stall the server the way a backtracking engine (Python `re`) can on `\\d+\\d+…x`.

RE2 syntax is Python's minus backreferences and lookaround; `\\d`, `\\w`, `\\s` and `\\b` are
ASCII (use `\\pN`, `\\pL` for Unicode); `\\z` ends the text (`\\Z` is an error). The validator
checks patterns with the same engine family (re2js), so a pattern that validates also compiles
here.

Substitution is done here rather than with the library's `subn`: one RE2 search per match, with
the deadline checked between matches, so even a quadratic number of matches (RE2 searches again
after each one) stops at the request's time bound.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from typing import Any

import re2

from ..errors import DockrionRuntimeError

__all__ = ["PatternError", "ScreeningDeadline", "compile_pattern", "schema_patterns", "search", "search_pattern",
           "substitute"]


class PatternError(DockrionRuntimeError, ValueError):
    """A pattern RE2 does not accept; the message names the reason, never the input text."""


class ScreeningDeadline(DockrionRuntimeError):
    """The time bound of one screening pass ran out (the caller turns it into an API error)."""


def _options() -> re2.Options:
    options = re2.Options()
    # Only the whole match is ever used: without submatches RE2 stays on its DFA, which keeps
    # patterns like (.*a){20} linear in practice, not just in theory.
    options.never_capture = True
    options.log_errors = False  # a rejected pattern is reported to the caller, not to stderr
    return options


_OPTIONS = _options()


def compile_pattern(pattern: str) -> re2._Regexp:
    if _matches_single_bytes(pattern):
        # \C matches one byte of a character: a replacement there would split the character.
        raise PatternError("\\C (any byte) is not supported")
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "rejected"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None


@functools.lru_cache(maxsize=512)
def _cached(pattern: str) -> Any:
    return compile_pattern(pattern)


def search_pattern(pattern: str, text: str) -> Any:
    """`re.search(pattern, text)` on RE2, for JSON Schema `pattern`/`patternProperties`: a match
    object or None. Patterns are compiled once (and were all checked at start-up)."""
    return _cached(pattern).search(_encode(text))


# Keywords whose values are data, not schemas: a `pattern` key inside them is not a regex.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})


def schema_patterns(schema: Any, where: str) -> Iterator[tuple[str, str]]:
    """(location, regex) of every `pattern` and `patternProperties` key in a JSON Schema."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from schema_patterns(item, f"{where}[{index}]")
        return
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        if key in _DATA_KEYWORDS:
            continue
        if key == "pattern" and isinstance(value, str):
            yield f"{where}.pattern", value
        elif key == "patternProperties" and isinstance(value, dict):
            for regex in value:
                yield f"{where}.patternProperties", regex
            yield from schema_patterns(list(value.values()), f"{where}.patternProperties")
        else:
            yield from schema_patterns(value, f"{where}.{key}")


def search(compiled: re2._Regexp, text: str) -> bool:
    """`re.search` with RE2 semantics; texts that are not valid UTF-8 (lone surrogates) are searched
    as they are encoded, where such code points match nothing."""
    return compiled.search(_encode(text)) is not None


def substitute(compiled: re2._Regexp, replacement: str, text: str, deadline: float | None) -> tuple[str, int]:
    """`subn` that replaces non-empty matches (an empty match redacts nothing) and raises
    ScreeningDeadline once `time.monotonic()` passes `deadline` between two matches."""
    encoded = _encode(text)
    pieces: list[bytes] = []
    kept_from = 0
    count = 0
    marker = replacement.encode("utf-8")
    for match in compiled.finditer(encoded):
        start, end = match.span()
        if deadline is not None and time.monotonic() > deadline:
            raise ScreeningDeadline()
        if start == end:
            continue
        pieces.append(encoded[kept_from:start])
        pieces.append(marker)
        kept_from = end
        count += 1
    if not count:
        return text, 0
    pieces.append(encoded[kept_from:])
    return b"".join(pieces).decode("utf-8", "surrogatepass"), count


def _matches_single_bytes(pattern: str) -> bool:
    index = 0
    while index < len(pattern) - 1:
        if pattern[index] == "\\":
            if pattern[index + 1] == "C":
                return True
            index += 2
        else:
            index += 1
    return False


def _encode(text: str) -> bytes:
    # RE2 runs on UTF-8 bytes; matches of non-empty patterns start and end on character
    # boundaries, so slicing the bytes at match offsets keeps every character whole.
    return text.encode("utf-8", "surrogatepass")
