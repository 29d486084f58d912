from __future__ import annotations

from pydantic import BaseModel, Field


class Question(BaseModel):
    text: str = Field(min_length=1, description="What to ask")
    max_words: int = 50


class Answer(BaseModel):
    answer: str
    confidence: float = Field(ge=0, le=1)
