"""Calling the API as a persona, for the network's tests."""

from __future__ import annotations

import json

from django.test import Client

from pont.core.auth import token_issue


def call(user, method, path, body=None):
    """GET `path`, or POST `body` as JSON to it, with a fresh token of `user` (answers in English)."""
    _, raw = token_issue(user=user)
    client = Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})
    if method == "get":
        return client.get(path)
    return client.post(path, json.dumps(body or {}), content_type="application/json")
