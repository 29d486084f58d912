-- wrk: POST the same small JSON body with the developer role's API key.
wrk.method = "POST"
wrk.body = '{"question": "what is the total of invoice 42?"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "bench-developer-key-0123456789"
