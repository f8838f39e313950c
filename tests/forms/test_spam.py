"""The rate limit counts each client, whether the site is reached directly or via proxies."""

from django.test import RequestFactory

from home.ratelimit import client_address, rate_limited


def _request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/benevolat/proposer/", **meta)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert client_address(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_behind_one_proxy_the_client_is_the_last_hop_not_what_it_wrote(settings):
    settings.RATE_LIMIT_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_address(_request("10.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_address(_request("10.0.0.1")) == "10.0.0.1"  # no header: the proxy itself


def test_behind_two_proxies(settings):
    settings.RATE_LIMIT_PROXY_COUNT = 2
    request = _request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1")
    assert client_address(request) == "198.51.100.7"


def test_clients_behind_the_same_proxy_are_counted_apart(settings):
    settings.RATE_LIMIT_PROXY_COUNT = 1
    first, second = _request(forwarded="198.51.100.7"), _request(forwarded="198.51.100.8")
    assert [rate_limited(first, "test", 2, 60) for _ in range(3)] == [False, False, True]
    assert rate_limited(second, "test", 2, 60) is False
    # Forging an earlier hop does not escape the limit.
    forged = _request(forwarded="9.9.9.9, 198.51.100.7")
    assert rate_limited(forged, "test", 2, 60) is True
