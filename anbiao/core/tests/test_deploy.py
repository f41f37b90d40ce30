"""Production deployment (security.md E1, E2, F3; issue 10 part 4; docs/deployment.md).

The checks run the way the server runs: in other processes with ``ANBIAO_ENV=production`` and the variables
of deploy/anbiao.env.example — ``manage.py check --deploy``, ``gunicorn --check-config`` with
deploy/gunicorn.conf.py, and gunicorn itself with three workers. Those processes need a database they can
open: ``serverdb.database_url`` copies the in-memory SQLite test database to a file with SQLite's backup API
(or, on PostgreSQL, points them at the test database itself), so they see what the test committed. Each is
bounded in time; the multi-worker test takes about 10 s.
"""

import concurrent.futures
import contextlib
import http.client
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import get_commands
from django.urls import reverse

from anbiao.accounts.models import User
from anbiao.core.testing import PASSWORD
from anbiao.core.tests.serverdb import BIN, PYTHON, ROOT, database_url, production_env

DEPLOY = ROOT / "deploy"


def _run(args, env, timeout=120):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


# --- settings -------------------------------------------------------------------------------------------
def test_check_deploy_passes_with_production_settings_and_no_warnings(transactional_db, tmp_path):
    env = production_env(tmp_path, database_url(tmp_path))
    done = _run([PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output and "WARNING" not in output, output
    # and the check is not vacuous: a weaker production setting fails it
    weak = _run(
        [PYTHON, "manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"],
        {**env, "SECURE_HSTS_SECONDS": "3600", "SECURE_SSL_REDIRECT": "0"},
    )
    assert weak.returncode != 0 and "security.W008" in weak.stderr + weak.stdout


SETTINGS_SCRIPT = r"""
import json
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "session_engine": s.SESSION_ENGINE,
    "session_cookie": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE],
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
    "proxy_header": s.SECURE_PROXY_SSL_HEADER,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],
    "referrer": s.SECURE_REFERRER_POLICY, "coop": s.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    "frame": s.X_FRAME_OPTIONS, "csrf_origins": s.CSRF_TRUSTED_ORIGINS,
    "cache": s.CACHES["default"]["BACKEND"], "cache_location": s.CACHES["default"].get("LOCATION"),
    "log_stream": s.LOGGING["handlers"]["console"]["stream"],
    "silenced": s.SILENCED_SYSTEM_CHECKS, "proxies": sorted(s.ANBIAO_TRUSTED_PROXIES),
    "mfa": s.ANBIAO_MFA_REQUIRED, "integrity": bool(s.ANBIAO_INTEGRITY_KEY), "hasher": s.PASSWORD_HASHERS[0],
}))
"""


def _settings(env):
    done = _run([PYTHON, "-c", SETTINGS_SCRIPT], env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_settings_sessions_in_the_database_cache_and_logging(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    s = _settings(env)
    assert s["debug"] is False
    assert s["session_engine"] == "django.contrib.sessions.backends.db"
    assert s["session_cookie"] == [True, True, "Lax"] and s["csrf_cookie_secure"] is True
    assert s["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"] and s["ssl_redirect"] is True
    assert s["hsts"][0] >= 365 * 24 * 3600 and s["hsts"][1] is True and s["hsts"][2] is True
    assert (s["referrer"], s["coop"], s["frame"]) == ("same-origin", "same-origin", "DENY")
    assert s["csrf_origins"] == ["https://anbiao.example.cn"]
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["log_stream"] == "ext://sys.stdout"
    # nothing silenced without a written reason (settings.py: lockout by username, security.md A4)
    assert s["silenced"] == ["axes.W006"]
    assert s["proxies"] == ["127.0.0.1", "::1"]
    assert s["mfa"] is False and s["integrity"] is False  # 三级 switches: off by default
    assert s["hasher"] in {  # A6: Django's default strong hasher (the tests' MD5 is test-only)
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    }

    redis = _settings({**env, "REDIS_URL": "redis://127.0.0.1:6379/2"})
    assert redis["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["cache_location"] == "redis://127.0.0.1:6379/2"
    untrusted = _settings({**env, "ANBIAO_TRUST_X_FORWARDED_PROTO": "0", "SECURE_HSTS_PRELOAD": "0"})
    assert untrusted["proxy_header"] is None
    assert "security.W021" in untrusted["silenced"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_required_variables(tmp_path, missing):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    env.pop(missing)
    done = _run([PYTHON, "-c", "from django.conf import settings; settings.DEBUG"], env, timeout=60)
    assert done.returncode != 0 and f"{missing} must be set" in done.stderr


def test_gunicorn_loads_the_wsgi_app_with_the_deployment_config(tmp_path):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    done = _run(
        [
            str(BIN / "gunicorn"),
            "--check-config",
            "--config",
            "deploy/gunicorn.conf.py",
            "config.wsgi:application",
        ],
        env,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- deploy/ files --------------------------------------------------------------------------------------
def _units():
    return sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))


def _directives(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_files_run_commands_that_exist():
    names = {p.name for p in _units()}
    assert {
        "anbiao.service",
        "anbiao-remind.service",
        "anbiao-remind.timer",
        "anbiao-backup.service",
        "anbiao-backup.timer",
        "anbiao-dormant.service",
        "anbiao-dormant.timer",
    } <= names
    commands = get_commands()
    for unit in DEPLOY.glob("*.service"):
        d = _directives(unit)
        assert d["EnvironmentFile"] == ["/etc/anbiao/anbiao.env"], unit.name
        assert d["WorkingDirectory"] == ["/srv/anbiao"] and d["User"] == ["anbiao"], unit.name
        for exec_start in d["ExecStart"]:
            program, *args = exec_start.split()
            assert program.startswith("/srv/anbiao/.venv/bin/"), exec_start
            assert (BIN / Path(program).name).exists(), f"{unit.name}: {program} is not in the virtualenv"
            if "manage.py" in args:
                command = args[args.index("manage.py") + 1]
                assert command in commands, f"{unit.name}: manage.py {command} does not exist"
            if Path(program).name == "gunicorn":
                config = args[args.index("--config") + 1]
                assert (ROOT / Path(config).relative_to("/srv/anbiao")).exists()
                assert "config.wsgi:application" in args
    for timer in DEPLOY.glob("*.timer"):
        d = _directives(timer)
        assert (DEPLOY / d["Unit"][0]).exists() and d["Persistent"] == ["true"] and d["OnCalendar"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit_files(tmp_path):
    """``systemd-analyze verify`` on copies whose /srv/anbiao points at this checkout (so binaries exist)."""
    for unit in _units():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/anbiao", str(ROOT)))
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stdout + done.stderr


def test_the_env_example_names_every_required_variable_and_is_production():
    text = (DEPLOY / "anbiao.env.example").read_text()
    values = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    for name in (
        "ANBIAO_ENV",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "MEDIA_ROOT",
    ):
        assert values.get(name), name
    assert values["ANBIAO_ENV"] == "production" and values["MEDIA_ROOT"].startswith("/var/lib/anbiao/")
    assert values["ANBIAO_MFA_REQUIRED"] == "0"


def test_nginx_serves_static_files_but_never_media_and_passes_the_proxy_headers(settings):
    conf = (DEPLOY / "nginx.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size.group(1)) * 1024 * 1024 >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert int(size.group(1)) * 1024 * 1024 >= settings.ANBIAO_UPLOAD_MAX_BYTES
    media = re.search(r"location /media/ \{(.*?)\}", conf, re.S).group(1)
    assert "internal;" in media, "evidence files must only be reachable through the app's download view"
    assert "alias /srv/anbiao/staticfiles/;" in conf and Path(settings.STATIC_ROOT).name == "staticfiles"
    for header in ("Host $host", "X-Real-IP $remote_addr", "X-Forwarded-Proto $scheme", "X-Request-ID"):
        assert f"proxy_set_header {header}" in conf, header
    assert "return 301 https://" in conf and "ssl_protocols TLSv1.2 TLSv1.3;" in conf


# --- responses ------------------------------------------------------------------------------------------
def test_authenticated_pages_api_responses_and_downloads_are_not_stored(world, client, login):
    signed_in = login(world.admin_a)
    for url in (reverse("home"), reverse("orgs:enterprise_list"), reverse("api:enterprise-list")):
        response = signed_in.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
    download = signed_in.get(reverse("core:file_download", args=[world.file_a.pk]))
    assert {"no-store", "private"} <= {p.strip() for p in download["Cache-Control"].split(",")}


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_real_ip(world, client, settings):
    from anbiao.core.models import AuditEvent

    settings.ANBIAO_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    client.post(
        reverse("login"),
        {"username": "admin_a", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="203.0.113.9",
    )
    assert AuditEvent.objects.filter(action="accounts.login").latest("id").ip == "203.0.113.9"
    client.logout()
    # anyone else's X-Real-IP is ignored
    client.post(
        reverse("login"),
        {"username": "admin_a", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_REAL_IP="203.0.113.9",
    )
    assert AuditEvent.objects.filter(action="accounts.login").latest("id").ip == "198.51.100.4"


# --- several worker processes -------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Browser:
    """A tiny HTTP client speaking to gunicorn as nginx would (X-Forwarded-Proto https, X-Real-IP)."""

    def __init__(self, port):
        self.port, self.cookies, self.n = port, {}, 0

    def request(self, method, path, body=None, rid=None, proxied=True):
        self.n += 1
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Request-ID": rid or f"req-{self.n}"}
        if proxied:
            headers |= {"X-Forwarded-Proto": "https", "X-Real-IP": "203.0.113.7"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
            }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
            set_cookies = response.headers.get_all("Set-Cookie") or []
        finally:
            conn.close()
        for raw in set_cookies:
            name, value = raw.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip()
        return response, content, set_cookies


@contextlib.contextmanager
def _gunicorn(tmp_path, env, port, deadline):
    """gunicorn with deploy/gunicorn.conf.py, started by this test and stopped by its pid."""
    server_log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        probe = _Browser(port)
        while True:  # wait for the workers
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start in time"
            try:
                if probe.request("GET", "/healthz", proxied=False)[0].status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        server_log.close()


def _served_by(access_log: Path) -> dict[str, str]:
    pids = {}
    for line in access_log.read_text().splitlines():
        found = re.search(r"pid=<?(\d+)>? rid=(\S+)", line)
        if found:
            pids[found.group(2)] = found.group(1)
    return pids


def _login_ip(url: str) -> str | None:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            row = db.execute(
                "SELECT ip FROM core_auditevent WHERE action = 'accounts.login' ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else None
    from anbiao.core.models import AuditEvent

    event = AuditEvent.objects.filter(action="accounts.login").order_by("-id").first()
    return event.ip if event else None


def test_three_gunicorn_workers_share_one_login_through_the_database(transactional_db, tmp_path):
    """Log in through one worker; the other workers serve the same session (sessions live in the database,
    nothing in process memory). Real production settings: HTTPS via X-Forwarded-Proto, secure cookies."""
    deadline = time.monotonic() + 30
    # production hashes with PBKDF2 (the tests' fast MD5 hasher is not accepted there)
    User.objects.create(
        username="multi", full_name="多进程", password=PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    )
    url = database_url(tmp_path)
    port = _free_port()
    access_log = tmp_path / "access.log"
    env = production_env(
        tmp_path,
        url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="3",
        GUNICORN_ACCESS_LOG=str(access_log),
    )
    with _gunicorn(tmp_path, env, port, deadline):
        browser = _Browser(port)
        plain, _, _ = browser.request("GET", "/accounts/login/", proxied=False)
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")

        page, html, _ = browser.request("GET", "/accounts/login/")
        assert page.status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response, _, set_cookies = browser.request(
            "POST",
            "/accounts/login/",
            {"username": "multi", "password": PASSWORD, "csrfmiddlewaretoken": token},
            rid="login",
        )
        assert response.status == 302 and response.headers["Location"] == "/", set_cookies
        session_cookie = next(c for c in set_cookies if c.startswith("sessionid="))
        flags = {part.strip().lower() for part in session_cookie.split(";")[1:]}
        assert {"httponly", "secure", "samesite=lax"} <= flags, session_cookie
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"]

        statuses, served = [], {}
        workers = set()
        rounds = 0
        while len(workers - {served.get("login")}) < 2 and time.monotonic() < deadline - 3:
            rounds += 1
            rids = [f"home-{rounds}-{i}" for i in range(6)]
            with concurrent.futures.ThreadPoolExecutor(6) as pool:
                results = list(pool.map(lambda rid: browser.request("GET", "/", rid=rid), rids))
            for r, _, _ in results:
                statuses.append(r.status)
                assert r.status == 200, "the session must be valid in every worker"
                assert "no-store" in r.headers["Cache-Control"]
            time.sleep(0.3)  # let gunicorn write the access lines
            served = _served_by(access_log)
            workers = {served[rid] for rid in served if rid.startswith("home-")}
        assert "login" in served, access_log.read_text()
        others = workers - {served["login"]}
        assert len(others) >= 2, f"requests were served by {workers}, the login by {served['login']}"
        assert _login_ip(url) == "203.0.113.7"  # X-Real-IP from the trusted proxy (127.0.0.1)
        if url.startswith("sqlite:///"):  # A6: the password is nowhere in the database files
            db_file = Path(url.removeprefix("sqlite:///"))
            for part in db_file.parent.glob(db_file.name + "*"):
                assert PASSWORD.encode() not in part.read_bytes(), part


# --- nginx in front (when nginx is installed: apt-get install nginx-light) ------------------------------
def _nginx_site(tmp_path: Path, http_port: int, https_port: int, app_port: int) -> str:
    """deploy/nginx.conf with this machine's ports and temporary paths, nothing else changed."""
    site = (DEPLOY / "nginx.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000": f"server 127.0.0.1:{app_port}",
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/anbiao.example.cn/": f"{tmp_path}/tls/",
        "/srv/anbiao/staticfiles/": f"{ROOT}/static/",
        "/var/lib/anbiao/media/": f"{tmp_path}/media/",
        "/var/log/nginx/": f"{tmp_path}/",
        "/var/www/letsencrypt": f"{tmp_path}/acme",
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    return site


def _https(port, method, path, headers=None, body=None):
    import ssl

    conn = http.client.HTTPSConnection(
        "127.0.0.1", port, timeout=10, context=ssl._create_unverified_context()
    )
    try:
        conn.request(method, path, body=body, headers={"Host": "anbiao.example.cn", **(headers or {})})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_with_the_deploy_config_in_front_of_gunicorn(transactional_db, tmp_path):
    """The documented path end to end: TLS at nginx, HTTP redirected, static files from nginx, media never
    served directly, oversized bodies refused by nginx, pages from gunicorn with Django's headers."""
    deadline = time.monotonic() + 30
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    (tmp_path / "tls").mkdir()
    tls = tmp_path / "tls"
    key, cert = str(tls / "privkey.pem"), str(tls / "fullchain.pem")
    openssl = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=anbiao.example.cn",
    ]
    subprocess.run([*openssl, "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    (tmp_path / "media").mkdir()
    (tmp_path / "media/evidence.png").write_bytes(b"\x89PNG secret")
    (tmp_path / "site.conf").write_text(_nginx_site(tmp_path, http_port, https_port, app_port))
    temp_paths = "".join(
        f"    {kind}_temp_path {tmp_path}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\nuser root;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/main.log;\n"
        f"events {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n{temp_paths}"
        f"    access_log {tmp_path}/http.log;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    env = production_env(
        tmp_path, database_url(tmp_path), GUNICORN_BIND=f"127.0.0.1:{app_port}", GUNICORN_WORKERS="2"
    )
    with _gunicorn(tmp_path, env, app_port, deadline):
        nginx = subprocess.Popen(
            ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while True:
                assert nginx.poll() is None, (tmp_path / "main.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start in time"
                try:
                    socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
            conn.request("GET", "/accounts/login/", headers={"Host": "anbiao.example.cn"})
            redirect = conn.getresponse()
            assert redirect.status == 301
            assert redirect.headers["Location"] == "https://anbiao.example.cn/accounts/login/"
            conn.close()

            page, body = _https(https_port, "GET", "/accounts/login/")
            assert page.status == 200 and "登录" in body.decode()
            assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
            assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Content-Security-Policy"]
            assert "Secure" in page.headers["Set-Cookie"]

            static_file = next((ROOT / "static").rglob("*.css"))
            static, content = _https(
                https_port, "GET", "/static/" + str(static_file.relative_to(ROOT / "static"))
            )
            assert static.status == 200 and content == static_file.read_bytes()
            assert "public" in ", ".join(static.headers.get_all("Cache-Control"))

            media, content = _https(https_port, "GET", "/media/evidence.png")
            assert media.status == 404 and b"secret" not in content

            big, _ = _https(
                https_port,
                "POST",
                "/accounts/login/",
                headers={"Content-Length": str(31 * 1024 * 1024), "Content-Type": "application/octet-stream"},
                body=b"",
            )
            assert big.status == 413
            assert _https(https_port, "GET", "/healthz")[0].status == 200
        finally:
            nginx.terminate()
            nginx.wait(timeout=15)
