"""`policies.safety`: redaction, prompt-injection heuristics and the output length guard.

Stages:
- pre-invoke: injection phrases → 403 PromptInjectionError (when block_prompt_injection);
  chat-template control tokens are stripped; redact_patterns are replaced by [REDACTED]
  (or → 403 PolicyViolationError when halt_on_violation).
- post-invoke: redact_patterns on the output (halt → 403), then max_output_chars, counted over
  the output's text (string leaves), so a structured output stays valid JSON.
"""

from __future__ import annotations

import re
from typing import Any

from ..config import SafetyPolicyConfig
from ..errors import PolicyViolation, PromptInjectionBlocked
from .events import PolicyEvents
from .walk import map_strings, truncate_strings

REDACTED = "[REDACTED]"

# Phrasings that try to override the system prompt or exfiltrate it. Deliberately narrow: a
# false positive blocks a real user, so each needs an imperative plus an instruction target.
_INJECTION_PHRASES = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|of|the|your|my)\s+)*"
    r"(?:(?:previous|prior|above|earlier|preceding|system|original|initial)\s+"
    r"(?:instructions?|prompts?|rules|directives|guidelines|context|messages?)"
    r"|(?<=all\s)(?:instructions?|rules|directives|guidelines)"
    r"|(?<=your\s)(?:instructions?|rules|directives|guidelines|system\s+prompt))\b"
    r"|\b(?:reveal|print|show|repeat|output|leak)\s+(?:(?:me|us|the|your|its|all)\s+)*"
    r"(?:system|hidden|initial|original)\s+(?:prompt|instructions?)\b"
    r"|\byou\s+are\s+now\s+(?:in\s+)?(?:developer|dan|jailbreak|unrestricted|god)\s*mode\b",
    re.IGNORECASE,
)

# Chat-template tokens and role prefixes that let text impersonate another speaker.
_CONTROL_TOKENS = re.compile(
    r"<\|(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\|>"
    r"|\[/?INST\]|<</?SYS>>"
    r"|^[ \t]*(?:system|assistant)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


class SafetyPolicy:
    def __init__(self, config: SafetyPolicyConfig, events: PolicyEvents):
        self._patterns = [re.compile(p) for p in config.redact_patterns]
        self._max_output_chars = config.max_output_chars
        self._block_injection = config.block_prompt_injection
        self._halt = config.halt_on_violation
        self._events = events

    @property
    def redacts(self) -> bool:
        return bool(self._patterns)

    @property
    def max_output_chars(self) -> int | None:
        return self._max_output_chars

    def screen_input(self, payload: Any) -> Any:
        """One pass over the input's strings: injection check, control-token strip, redaction."""
        if not (self._block_injection or self._patterns):
            return payload
        counts = {"strip": 0, "redact": 0}

        def screen(text: str) -> str:
            if self._block_injection:
                if _INJECTION_PHRASES.search(text):
                    self._events.record("safety.block_prompt_injection", "block", "pre-invoke")
                    raise PromptInjectionBlocked()
                text, stripped = _CONTROL_TOKENS.subn("", text)
                counts["strip"] += stripped
            for pattern in self._patterns:
                text, found = pattern.subn(REDACTED, text)
                counts["redact"] += found
            return text

        screened = map_strings(payload, screen)
        if counts["strip"]:
            self._events.record("safety.block_prompt_injection", "strip", "pre-invoke", count=counts["strip"])
        self._after_redaction(counts["redact"], "pre-invoke")
        return screened

    def screen_output(self, output: Any) -> tuple[Any, bool]:
        if self._patterns:
            output = self._redact(output, stage="post-invoke")
        if self._max_output_chars is None:
            return output, False
        output, truncated = truncate_strings(output, self._max_output_chars)
        if truncated:
            self._events.record("safety.max_output_chars", "truncate", "post-invoke",
                                limit=self._max_output_chars)
        return output, truncated

    def redact_text(self, text: str, stage: str) -> str:
        """Redact one piece of streamed text (raises on halt_on_violation)."""
        return self._redact(text, stage)

    def _redact(self, value: Any, stage: str) -> Any:
        matches = 0

        def rewrite(text: str) -> str:
            nonlocal matches
            for pattern in self._patterns:
                text, count = pattern.subn(REDACTED, text)
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
