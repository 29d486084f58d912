"""`policies.safety`: redaction, prompt-injection heuristics and the output length guard.

Stages:
- pre-invoke: injection phrases → 403 PromptInjectionError (when block_prompt_injection);
  chat-template control tokens are stripped; redact_patterns are replaced by [REDACTED]
  (or → 403 PolicyViolationError when halt_on_violation).
- post-invoke: redact_patterns on the output (halt → 403), then max_output_chars, counted over
  the output's text (string leaves), so a structured output stays valid JSON.

redact_patterns run on RE2 (policies/patterns.py). Every screening method takes a `deadline`
(time.monotonic()); past it, ScreeningDeadline is raised between two matches or two strings.
Runtime decides where the work runs (policies/screening.py) and what the caller sees.

The injection heuristic reads a normalised view of each string (NFKC, format characters such as
U+200B removed, runs of spaced single letters joined), so `ｉｇｎｏｒｅ`, `ig\u200bnore` and
`i g n o r e` read as `ignore`. The view is only read: the agent gets the text as sent.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any

from ..config import SafetyPolicyConfig
from ..errors import PolicyViolation, PromptInjectionBlocked
from .events import PolicyEvents
from .patterns import PatternError, ScreeningDeadline, compile_pattern, substitute
from .walk import map_strings, truncate_strings

REDACTED = "[REDACTED]"


class RedactPatternError(ValueError):
    """A redact pattern RE2 rejects; names its index and RE2's reason (start-up error)."""


# The phrase lists, shared by the spaced and the joined form of the heuristic. Deliberately
# narrow: a false positive blocks a real user, so each needs an imperative plus an instruction target.
_VERBS = r"ignore|disregard|forget|override|bypass"
_FILLERS = r"all|any|of|the|your|my"
_QUALIFIERS = r"previous|prior|above|earlier|preceding|system|original|initial"
_TARGETS = r"instructions?|prompts?|rules|directives|guidelines|context|messages?"
_ALL_TARGETS = r"instructions?|rules|directives|guidelines"
_REVEAL_VERBS = r"reveal|print|show|repeat|output|leak"
_REVEAL_FILLERS = r"me|us|the|your|its|all"
_HIDDEN = r"system|hidden|initial|original"
_HIDDEN_TARGETS = r"prompt|instructions?"
_MODES = r"developer|dan|jailbreak|unrestricted|god"


def _phrases(sep: str, edge: str) -> re.Pattern[str]:
    """`sep` between words (`\\s+`, or nothing for letters joined from a spaced run)."""
    return re.compile(
        rf"{edge}(?:{_VERBS}){sep}(?:(?:{_FILLERS}){sep})*"
        rf"(?:(?:{_QUALIFIERS}){sep}(?:{_TARGETS})"
        rf"|all{sep}(?:{_ALL_TARGETS})"
        rf"|your{sep}(?:{_ALL_TARGETS}|system{sep}prompt)){edge}"
        rf"|{edge}(?:{_REVEAL_VERBS}){sep}(?:(?:{_REVEAL_FILLERS}){sep})*(?:{_HIDDEN}){sep}(?:{_HIDDEN_TARGETS}){edge}"
        rf"|{edge}you{sep}are{sep}now{sep}(?:in{sep})?(?:{_MODES}){sep.replace('+', '*')}mode{edge}",
        re.IGNORECASE,
    )


_INJECTION_PHRASES = _phrases(r"\s+", r"\b")
_JOINED_INJECTION_PHRASES = _phrases("", "")

# Runs of at least four single letters, each followed by 1–3 separators ("i g n o r e",
# "i.g.n.o.r.e", "i - g - n"), read as the word they spell.
_SPACED_LETTERS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][^\w\n]{1,3}){3,}[^\W\d_](?![^\W\d_])")
_NOT_A_LETTER = re.compile(r"[\W\d_]+")

# Unicode general category Cf (format characters: zero-width space and joiners, bidi controls,
# soft hyphen, tag characters…): invisible, so they can split a phrase without changing its look.
_FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)

# Chat-template tokens and role prefixes that let text impersonate another speaker.
_CONTROL_TOKENS = re.compile(
    r"<\|(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\|>"
    r"|\[/?INST\]|<</?SYS>>"
    r"|^[ \t]*(?:system|assistant)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


def detection_view(text: str) -> str:
    """The text as the injection heuristic reads it (see the module docstring)."""
    if not text.isascii():
        text = _FORMAT_CHARACTERS.sub("", unicodedata.normalize("NFKC", text))
    return _SPACED_LETTERS.sub(lambda run: _NOT_A_LETTER.sub("", run.group(0)), text)


def looks_like_injection(text: str) -> bool:
    view = detection_view(text)
    return bool(_INJECTION_PHRASES.search(view) or _JOINED_INJECTION_PHRASES.search(view))


def compile_redact_patterns(patterns: list[str]) -> list[Any]:
    compiled = []
    for index, pattern in enumerate(patterns):
        try:
            compiled.append(compile_pattern(pattern))
        except PatternError as exc:
            raise RedactPatternError(
                f"policies.safety.redact_patterns[{index}] is not a valid RE2 pattern: {exc}") from None
    return compiled


class SafetyPolicy:
    def __init__(self, config: SafetyPolicyConfig, events: PolicyEvents):
        self._patterns = compile_redact_patterns(config.redact_patterns)
        self._max_output_chars = config.max_output_chars
        self._block_injection = config.block_prompt_injection
        self._halt = config.halt_on_violation
        self._events = events

    @property
    def redacts(self) -> bool:
        return bool(self._patterns)

    @property
    def screens_input(self) -> bool:
        return self._block_injection or bool(self._patterns)

    @property
    def max_output_chars(self) -> int | None:
        return self._max_output_chars

    def screen_input(self, payload: Any, deadline: float | None = None) -> Any:
        """One pass over the input's strings: injection check, control-token strip, redaction."""
        if not self.screens_input:
            return payload
        counts = {"strip": 0, "redact": 0}

        def screen(text: str) -> str:
            _check(deadline)
            if self._block_injection:
                if looks_like_injection(text):
                    self._events.record("safety.block_prompt_injection", "block", "pre-invoke")
                    raise PromptInjectionBlocked()
                text, stripped = _CONTROL_TOKENS.subn("", text)
                counts["strip"] += stripped
            for pattern in self._patterns:
                text, found = substitute(pattern, REDACTED, text, deadline)
                counts["redact"] += found
            return text

        screened = map_strings(payload, screen)
        if counts["strip"]:
            self._events.record("safety.block_prompt_injection", "strip", "pre-invoke", count=counts["strip"])
        self._after_redaction(counts["redact"], "pre-invoke")
        return screened

    def screen_output(self, output: Any, deadline: float | None = None) -> tuple[Any, bool]:
        if self._patterns:
            output = self._redact(output, "post-invoke", deadline)
        if self._max_output_chars is None:
            return output, False
        output, truncated = truncate_strings(output, self._max_output_chars)
        if truncated:
            self._events.record("safety.max_output_chars", "truncate", "post-invoke",
                                limit=self._max_output_chars)
        return output, truncated

    def redact_text(self, text: str, stage: str, deadline: float | None = None) -> str:
        """Redact one piece of streamed text (raises on halt_on_violation)."""
        result: str = self._redact(text, stage, deadline)
        return result

    def record_deadline(self, stage: str, seconds: float) -> None:
        self._events.record("safety.screening", "timeout", stage, limit_seconds=seconds)

    def _redact(self, value: Any, stage: str, deadline: float | None) -> Any:
        matches = 0

        def rewrite(text: str) -> str:
            nonlocal matches
            _check(deadline)
            for pattern in self._patterns:
                text, count = substitute(pattern, REDACTED, text, deadline)
                matches += count
            return text

        redacted = map_strings(value, rewrite)
        self._after_redaction(matches, stage)
        return redacted

    def _after_redaction(self, matches: int, stage: str) -> None:
        if not matches:
            return
        if self._halt:
            self._events.record("safety.redact_patterns", "block", stage, matches=matches)
            side = "input" if stage == "pre-invoke" else "output"
            raise PolicyViolation(f"the {side} matched a redact pattern and halt_on_violation is set",
                                  details={"policy": "safety.redact_patterns", "stage": stage})
        self._events.record("safety.redact_patterns", "redact", stage, count=matches)


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ScreeningDeadline()
