"""Access control: API keys sent as `Authorization: Bearer <key>`, checked before any route runs.

- `policy`: the modes (`AUTH_MODE`), which requests are open, and the role the others need.
- `tokens`: making keys, hashing them, reading the Authorization header.
- `throttle`: refusing clients that keep presenting bad keys (429).
- `middleware`: the ASGI layer that applies all three to every HTTP request.
- `openapi`: the Bearer scheme in /docs, so that "Authorize" works.

The one thing the rest of the app reads: `request.state.api_key_id` (`int | None`), set for
every HTTP request before routing, so before any route class, dependency or handler runs: the
id of the API key that authenticated the request, or `None` (an open request, or a read in
`writes` mode, which needs no key). With AUTH_MODE=off the middleware is not installed at all
(it costs nothing) and the attribute is absent: read it as
`getattr(request.state, API_KEY_ID, None)`. A request whose key was refused never reaches the app.
The idempotency layer scopes its keys by this id.
"""

API_KEY_ID = "api_key_id"
"""The name of the request-state attribute (`request.state.api_key_id`)."""
