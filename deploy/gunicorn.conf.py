"""gunicorn settings for Anbiao (used by deploy/anbiao.service; every value can be overridden from the
environment file). Several sync workers, each a separate process: nothing is kept in process memory that
another worker needs (sessions, lockouts, audit trail in the database; cache in Redis when REDIS_URL is set).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# 2 × cores + 1 sync workers; on a 2-core server that is 5. Each holds one database connection.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
# report computation and exports of a large unit may take a while; nginx waits 180 s
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "150"))
graceful_timeout = 30
keepalive = 5
# recycle workers now and then (bounded memory growth), staggered so they never restart together
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# nginx on the same host is the only client; it sets X-Forwarded-Proto and X-Real-IP
forwarded_allow_ips = os.environ.get("ANBIAO_TRUSTED_PROXIES", "127.0.0.1,::1")
limit_request_line = 8190
# stdout/stderr → journald. Access lines carry the worker pid and nginx's request id (as the audit trail).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s rid=%({x-request-id}i)s'
proc_name = "anbiao"
# gunicorn >= 25 opens a control socket under $HOME by default; systemd (HUP for reload, TERM to stop) is the
# control interface here, and the service's home is read-only (ProtectHome), so it stays off.
control_socket_disable = True
