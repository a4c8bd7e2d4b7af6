"""gunicorn's settings for the archive (gunicorn reads ./gunicorn.conf.py; `make serve` runs from here).

Only the reverse proxies in TRUSTED_PROXIES may set the scheme (X-Forwarded-Proto): gunicorn's own
default trusts any client on 127.0.0.1, which is every client when gunicorn is reached directly on
the machine. Django applies the same list (archive/clientip.py), so both agree on who is a proxy.
The access log shows the client's address as archive.clientip resolved it (the WSGI environ's
REMOTE_ADDR, which the middleware sets).
"""

import os

forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
