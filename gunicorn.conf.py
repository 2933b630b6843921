"""gunicorn settings for `app:server`; gunicorn reads this file when started from the project folder.

    gunicorn app:server            # production: PostgreSQL, SECRET_KEY set, SECURE_COOKIES=1 behind HTTPS

Command-line options override these (the benches pass -w, --threads and -b).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8050")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Longer than a user's pause between two pages. With gunicorn's default of 2 s the server closes idle keep-alive
# connections that browsers and proxies are about to reuse, and the request sent on one fails ("connection reset"):
# the load test saw 6 of 10,608 requests fail that way.
keepalive = 75
timeout = 120
graceful_timeout = 30
