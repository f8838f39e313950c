"""Cache settings the tests share: Redis down, as production would meet it."""

# Nothing listens on port 1 of this machine: every call fails at once.
REDIS_DOWN = {
    "BACKEND": "home.cache_backends.ResilientRedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}
# As in production: the content in each process, in front of the (absent) Redis.
LAYERED = {"BACKEND": "home.cache_backends.LayeredCache", "OPTIONS": {"REMOTE": "default"}}
