"""Absolute addresses in what the caches keep for everyone (canonical link, image shared).

Built from the host name the visitor used (checked against ALLOWED_HOSTS) but never from the
port they sent: ALLOWED_HOSTS ignores ports, so « Host: site:6666 » would otherwise put port
6666 into a canonical link kept by the page cache for every visitor. The port is the Wagtail
site's own. (Links sent by e-mail belong to the requester's own flow and are never cached:
they keep the address the request came to, as the live servers of the browser tests need.)
"""

from home.cache import request_hostname

DEFAULT_PORTS = {"http": 80, "https": 443}


def site_origin(request):
    """« https://reseau.example.org », « http://localhost:8000 »…"""
    scheme = request.scheme
    site = getattr(request, "_wagtail_site", None)
    port = int(site.port) if site is not None and site.port else DEFAULT_PORTS[scheme]
    # Behind the proxy the site is served on 443 while its Site may say 80: a standard port is
    # never written.
    suffix = "" if port in DEFAULT_PORTS.values() else f":{port}"
    return f"{scheme}://{request_hostname(request)}{suffix}"


def absolute(request, path):
    """The absolute address of `path` (a path of this site, or already absolute)."""
    if "://" in path:
        return path
    return site_origin(request) + path
