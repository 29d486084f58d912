"""The trivial agent both sides of the benchmark serve (and the direct-call baseline calls)."""


async def answer(payload: dict) -> dict:
    return {"answer": f"you said {payload.get('question', '')}"}
