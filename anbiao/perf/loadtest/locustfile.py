"""Locust user for ``manage.py anbiao_bench``: one signed-in session per simulated client, GETs one path as
fast as the server answers (no think time), refuses redirects so a page that sends the user to the login
form counts as a failure, not as a fast answer.

Environment (set by the bench command):
    BENCH_PATH      the path to request, e.g. ``/enterprises/?status=operating``
    BENCH_COOKIE    the session cookie's name
    BENCH_SESSIONS  comma-separated session keys, one per client
    BENCH_TOKEN     an API token (``Authorization: Token …``) instead of sessions
    neither         anonymous
"""

import itertools
import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/healthz")
COOKIE = os.environ.get("BENCH_COOKIE", "sessionid")
SESSIONS = [s for s in os.environ.get("BENCH_SESSIONS", "").split(",") if s]
TOKEN = os.environ.get("BENCH_TOKEN", "")
_next = itertools.count()


class Client(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        n = next(_next)
        if TOKEN:
            self.headers = {"Authorization": f"Token {TOKEN}"}
        elif SESSIONS:
            self.headers = {"Cookie": f"{COOKIE}={SESSIONS[n % len(SESSIONS)]}"}
        else:
            self.headers = {}

    @task
    def get(self):
        with self.client.get(
            PATH, name=PATH, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
