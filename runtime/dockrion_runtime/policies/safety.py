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

import re2

from ..config import SafetyPolicyConfig
from ..errors import DockrionRuntimeError, PolicyViolation, PromptInjectionBlocked
from .events import PolicyEvents
from .patterns import PatternError, ScreeningDeadline, compile_pattern, search, substitute
from .walk import map_strings, truncate_strings

REDACTED = "[REDACTED]"


class RedactPatternError(DockrionRuntimeError, ValueError):
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


def _phrases(sep: str, edge: str) -> Any:
    """`sep` between words (`\\s+`, or nothing for letters joined from a spaced run)."""
    optional_sep = sep.replace("+", "*")
    return compile_pattern(
        rf"(?i){edge}(?:{_VERBS}){sep}(?:(?:{_FILLERS}){sep})*"
        rf"(?:(?:{_QUALIFIERS}){sep}(?:{_TARGETS})"
        rf"|all{sep}(?:{_ALL_TARGETS})"
        rf"|your{sep}(?:{_ALL_TARGETS}|system{sep}prompt)){edge}"
        rf"|{edge}(?:{_REVEAL_VERBS}){sep}(?:(?:{_REVEAL_FILLERS}){sep})*(?:{_HIDDEN}){sep}(?:{_HIDDEN_TARGETS}){edge}"
        rf"|{edge}you{sep}are{sep}now{sep}(?:in{sep})?(?:{_MODES}){optional_sep}mode{edge}"
    )


# The built-in patterns run on RE2 like the Dockfile's: linear, and without holding the GIL, so
# screening a large input in the worker thread does not slow the event loop down.
_INJECTION_PHRASES = _phrases(r"\s+", r"\b")
_JOINED_INJECTION_PHRASES = _phrases("", "")

# Runs of at least four single letters, each followed by 1–3 separators ("i g n o r e",
# "i.g.n.o.r.e", "i - g - n"), read as the word they spell.
_SPACED_LETTERS = compile_pattern(r"(?:\pL[^\pL\pN_\n]{1,3}){3,}\pL")
# The same for ASCII text: a fraction of the program size (Unicode classes are large).
_SPACED_ASCII_LETTERS = compile_pattern(r"(?:[A-Za-z][^A-Za-z0-9_\n]{1,3}){3,}[A-Za-z]")
_NOT_A_LETTER = re.compile(r"[\W\d_]+")

# Unicode general category Cf (format characters: zero-width space and joiners, bidi controls,
# soft hyphen, tag characters…): invisible, so they can split a phrase without changing its look.
_FORMAT_RANGES = [(0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
                  (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
                  (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
                  (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
                  (0xE0001, 0xE0001), (0xE0020, 0xE007F)]
_DROP_FORMAT_CHARACTERS: dict[int, None] = {
    code: None for low, high in _FORMAT_RANGES for code in range(low, high + 1)}

# Chat-template tokens and role prefixes that let text impersonate another speaker.
_CONTROL_TOKENS = compile_pattern(
    r"(?im)<\|(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\|>"
    r"|\[/?INST\]|<</?SYS>>"
    r"|^[ \t]*(?:system|assistant)[ \t]*:[ \t]*"
)


def detection_view(text: str, deadline: float | None = None) -> str:
    """The text as the injection heuristic reads it (see the module docstring)."""
    spaced_letters = _SPACED_ASCII_LETTERS
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DROP_FORMAT_CHARACTERS)
        spaced_letters = _SPACED_ASCII_LETTERS if text.isascii() else _SPACED_LETTERS
    pieces: list[str] = []
    kept_from = 0
    for run in spaced_letters.finditer(text):
        _check(deadline)
        start, end = run.span()
        if start < kept_from:
            continue
        # A letter glued to a word is not part of the run ("x" of "xa b c d", "a" of "e all").
        if start > 0 and text[start - 1].isalpha():
            start += 1
        if end < len(text) and text[end].isalpha():
            end -= 1
        letters = _NOT_A_LETTER.sub("", text[start:end])
        if len(letters) < 4:
            continue
        leading = " " if not text[start].isalpha() else ""
        trailing = " " if not text[end - 1].isalpha() else ""
        pieces += [text[kept_from:start], leading + letters + trailing]
        kept_from = end
    if not pieces:
        return text
    pieces.append(text[kept_from:])
    return "".join(pieces)


def looks_like_injection(text: str, deadline: float | None = None) -> bool:
    view = detection_view(text, deadline)
    return search(_INJECTION_PHRASES, view) or search(_JOINED_INJECTION_PHRASES, view)


class _Prefilter:
    """Whether any of the screen's patterns occurs in a short ASCII text, in one RE2 pass.

    Most strings match nothing, and one RE2::Set search costs about as much as a single pattern
    search: the full screen runs only for the strings that match something. Used only where the
    set's DFA cannot run out of memory (a DFA failure would read as "no match"): texts of at most
    PREFILTER_MAX_CHARS ASCII characters and patterns of at most PREFILTER_MAX_PROGRAM instructions
    in total, with memory for every state such a text can visit."""

    PREFILTER_MAX_CHARS = 512
    PREFILTER_MAX_PROGRAM = 2000

    def __init__(self, compiled: list[Any]):
        self.usable = sum(pattern.programsize for pattern in compiled) <= self.PREFILTER_MAX_PROGRAM
        self._set: Any = None
        if self.usable and compiled:
            options = re2.Options()
            options.log_errors = False
            options.max_mem = 64 << 20
            self._set = re2.Set.SearchSet(options)
            for pattern in compiled:
                self._set.Add(pattern.pattern)
            self._set.Compile()

    def nothing_in(self, text: str) -> bool:
        """True when `text` certainly matches none of the patterns; False when unsure."""
        if self._set is None or len(text) > self.PREFILTER_MAX_CHARS or not text.isascii():
            return self._set is None and self.usable
        return self._set.Match(text) is None


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
        self._input_prefilter = _Prefilter(
            ([_INJECTION_PHRASES, _JOINED_INJECTION_PHRASES, _SPACED_ASCII_LETTERS, _CONTROL_TOKENS]
             if config.block_prompt_injection else []) + self._patterns)
        self._output_prefilter = _Prefilter(self._patterns)
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
            if self._input_prefilter.nothing_in(text):
                return text
            _check(deadline)
            if self._block_injection:
                if looks_like_injection(text, deadline):
                    self._events.record("safety.block_prompt_injection", "block", "pre-invoke")
                    raise PromptInjectionBlocked()
                text, stripped = substitute(_CONTROL_TOKENS, "", text, deadline)
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
            if self._output_prefilter.nothing_in(text):
                return text
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
