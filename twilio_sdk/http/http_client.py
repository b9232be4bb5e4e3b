"""The default transport: one reused ``requests.Session`` with a pool and a finite timeout."""

from __future__ import annotations

import os
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from twilio_sdk.exceptions import TransportError
from twilio_sdk.http import HttpClient
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response

__all__ = ["DEFAULT_TIMEOUT", "TwilioHttpClient"]

DEFAULT_TIMEOUT = 30.0


class TwilioHttpClient(HttpClient):
    """``requests``-based transport with keep-alive and a connection pool.

    ``pool_size`` defaults to ``min(32, cpu + 4)`` so thread pools do not starve the pool;
    ``proxy`` is a ``requests`` proxies dict; ``timeout`` defaults to 30 s.
    """

    def __init__(
        self,
        pool_connections: bool = True,
        request_hooks: dict[str, Any] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        logger: Any = None,
        proxy: dict[str, str] | None = None,
        max_retries: int | None = None,
        pool_size: int | None = None,
    ) -> None:
        super().__init__(logger, False, timeout)
        self.session = requests.Session() if pool_connections else None
        self.request_hooks = request_hooks or {}
        self.proxy = proxy
        size = pool_size or min(32, (os.cpu_count() or 1) + 4)
        self._adapter = HTTPAdapter(pool_connections=size, pool_maxsize=size, max_retries=max_retries or 0)
        if self.session is not None:
            self.session.mount("https://", self._adapter)
            self.session.mount("http://", self._adapter)
            # requests re-reads proxy and CA settings from the environment on every call (a
            # third of its per-request cost); read them once per host instead.
            self.session.trust_env = False
        self._env_proxies: dict[str, dict[str, str]] = {}
        self._verify: str | bool = (
            os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        )

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        session = self.session or requests.Session()
        self.last_request = Request(method, url, params, data, dict(headers or {}), auth)
        try:
            proxies = self.proxy if self.proxy is not None else self._proxies_for(url)
            resp = session.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                auth=auth,
                hooks=self.request_hooks,
                timeout=timeout if timeout is not None else self.timeout,
                allow_redirects=allow_redirects,
                proxies=proxies,
                verify=self._verify,
            )
        except requests.exceptions.ConnectTimeout as exc:
            raise TransportError(f"connect timeout: {exc}", timeout=True, sent=False) from exc
        except requests.exceptions.Timeout as exc:
            raise TransportError(f"timeout: {exc}", timeout=True) from exc
        except requests.exceptions.ConnectionError as exc:
            sent = not _never_sent(exc)
            raise TransportError(f"connection error: {exc}", sent=sent) from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.URLRequired, ValueError) as exc:
            # MissingSchema, InvalidSchema, InvalidURL, a header that cannot be encoded: refused
            # before anything went out.
            raise TransportError(f"cannot send {method} {url}: {exc}", sent=False) from exc
        except OSError as exc:
            # Any other requests error (a broken chunked body, a bad CA bundle path).
            raise TransportError(f"{method} {url} failed: {exc}{self._ca_hint(exc)}") from exc
        finally:
            if self.session is None:
                session.close()
        self.last_response = Response(resp.status_code, resp.text, resp.headers)
        return self.last_response

    def _ca_hint(self, exc: OSError) -> str:
        if isinstance(self._verify, str) and self._verify in str(exc):
            return " (the CA bundle comes from REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE)"
        return ""

    def _proxies_for(self, url: str) -> dict[str, str]:
        origin = url.split("/", 3)[:3]
        key = "/".join(origin)
        proxies = self._env_proxies.get(key)
        if proxies is None:
            proxies = self._env_proxies[key] = requests.utils.get_environ_proxies(key) or {}
        return proxies

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def _never_sent(exc: Exception) -> bool:
    """True when a connection error happened before any byte was sent (refused, DNS)."""
    text = repr(exc)
    return any(s in text for s in ("NewConnectionError", "NameResolutionError", "Connection refused"))
