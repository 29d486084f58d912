"""Baseline: the smallest honest FastAPI service around the same agent (one route, JSON in/out)."""

from fastapi import FastAPI

from agent import answer

app = FastAPI()


@app.post("/invoke")
async def invoke(payload: dict) -> dict:
    return await answer(payload)


@app.get("/ready")
async def ready() -> dict:
    return {"status": "ready"}
