"""Django's Redis cache, keeping one redis-py client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` around the pool for every cache call;
with redis-py 8 that construction and its first command cost ~150 µs more than a command on
a kept client (measured: 199 against 48 µs an MGET on loopback), and a public page makes one
to five cache calls. A client over a pool is safe to share between threads and survives a
fork (the pool reconnects in the child), so keeping it changes nothing else.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class _KeptClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache with kept clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClient
