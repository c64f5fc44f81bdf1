"""URL helpers: AMP Cache URLs, URL checks and public-suffix-aware domains.

Everything here is a pure function of its arguments and depends on nothing
else in :mod:`newsmodel`:

* :func:`amp_cache_url` computes the Google AMP Cache URL of a page, as
  published in "AMP Cache URL Format and Request Handling"
  (https://amp.dev/documentation/guides-and-tutorials/learn/amp-caches-and-cors/amp-cache-urls/).
* :func:`url_problems` checks a URL value and returns what is wrong with it as
  :class:`UrlIssue` objects (an empty list means the value is fine).
* :func:`host_of`, :func:`is_public_suffix`, :func:`registrable_domain` and
  :func:`is_same_or_subdomain` answer questions about hosts and domains; the
  last three use the Public Suffix List (ICANN and private sections) shipped
  offline by the ``publicsuffixlist`` package, imported lazily on first use.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Literal

import attrs

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

__all__ = [
    "AMP_CACHE_SUFFIX",
    "UrlIssue",
    "amp_cache_subdomain",
    "amp_cache_url",
    "host_of",
    "is_public_suffix",
    "is_same_or_subdomain",
    "registrable_domain",
    "url_problems",
]

AMP_CACHE_SUFFIX = "cdn.ampproject.org"
"""Domain suffix of the Google AMP Cache (its ``cacheDomain``)."""

_MAX_LABEL = 63
_MAX_HOST = 253
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_LDH_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")
_BAD_ESCAPE_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@attrs.frozen
class UrlIssue:
    """One problem found in a URL value by :func:`url_problems`.

    ``code`` is a short machine-readable slug (``"not-absolute"``,
    ``"bad-scheme"``, ``"http"``, ``"whitespace"``, ``"control-char"``,
    ``"credentials"``, ``"bad-host"``, ``"bad-port"``, ``"bad-escape"``,
    ``"empty"``); ``message`` is one sentence naming the bad value and what is
    expected; ``hint`` is an optional suggested fix (often the corrected value);
    ``severity`` is ``"error"`` (the value is invalid) or ``"warning"``.
    """

    code: str
    message: str
    hint: str | None = None
    severity: Literal["error", "warning"] = "error"

    @property
    def is_error(self) -> bool:
        """True when this issue makes the value invalid."""
        return self.severity == "error"


# --------------------------------------------------------------------------
# Splitting URLs
# --------------------------------------------------------------------------


@attrs.frozen
class _Parts:
    scheme: str  # as written
    authority: str  # between "//" and the first "/", "?" or "#"
    rest: str  # path, query and fragment, verbatim
    userinfo: str | None
    host: str  # as written; IPv6 literals keep their brackets
    port: str | None  # digits as written, "" for a bare ":", None if absent


def _split(url: str) -> _Parts | None:
    """Split an absolute ``scheme://authority...`` URL, or return None."""
    match = _SCHEME_RE.match(url)
    if match is None or not url.startswith("//", match.end()):
        return None
    scheme = match.group(1)
    start = match.end() + 2
    end = len(url)
    for sep in "/?#":
        found = url.find(sep, start)
        if found != -1:
            end = min(end, found)
    authority = url[start:end]
    userinfo: str | None = None
    hostport = authority
    if "@" in authority:
        userinfo, _, hostport = authority.rpartition("@")
    host, port = hostport, None
    if hostport.startswith("["):
        close = hostport.find("]")
        if close != -1:
            host, tail = hostport[: close + 1], hostport[close + 1 :]
            if tail.startswith(":"):
                port = tail[1:]
            elif tail:
                host = hostport  # garbage after "]": keep it in the host
    elif ":" in hostport:
        host, _, port = hostport.rpartition(":")
    return _Parts(scheme, authority, url[end:], userinfo, host, port)


def _is_ip(host: str) -> bool:
    import ipaddress

    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _label_to_ascii(label: str) -> str:
    """IDNA-encode one label (lower-cased); raise UnicodeError if impossible."""
    from encodings import idna

    if label.isascii():
        lowered = label.lower()
        if lowered.startswith("xn--"):
            # Must be valid Punycode that decodes to something non-ASCII.
            decoded = lowered[4:].encode("ascii").decode("punycode")
            if decoded.isascii():
                msg = f"{label!r} is not a valid IDNA label"
                raise UnicodeError(msg)
        return lowered
    return idna.ToASCII(label).decode("ascii").lower()


def _host_to_ascii(host: str) -> str:
    """IDNA-encode a dotted host name; raise UnicodeError if impossible."""
    return ".".join(_label_to_ascii(label) for label in host.split("."))


def _norm_domain(domain: str) -> str:
    """Lower-case, strip blanks and one trailing dot, IDNA-encode if possible."""
    text = domain.strip().lower()
    if text.endswith("."):
        text = text[:-1]
    try:
        return _host_to_ascii(text)
    except UnicodeError:
        return text


# --------------------------------------------------------------------------
# AMP Cache URLs
# --------------------------------------------------------------------------


def _fallback_prefix(ascii_host: str) -> str:
    digest = hashlib.sha256(ascii_host.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def _mixes_directions(text: str) -> bool:
    classes = {unicodedata.bidirectional(char) for char in text}
    return "L" in classes and bool(classes & {"R", "AL"})


@functools.lru_cache(maxsize=1024)
def _amp_prefix(host: str) -> str:
    host = host.lower()
    try:
        ascii_host = _host_to_ascii(host)
    except UnicodeError:
        return _fallback_prefix(host)
    # The reference implementation (amp-toolbox cache-url) also falls back
    # for a host without any dot, such as "localhost" or an IPv6 literal.
    if "." not in ascii_host or len(ascii_host) > _MAX_HOST:
        return _fallback_prefix(ascii_host)
    try:
        # Step 1: Punycode-decode the publisher domain.
        unicode_host = ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        return _fallback_prefix(ascii_host)
    # Steps 2 and 3: "-" becomes "--", then "." becomes "-".
    prefix = unicode_host.replace("-", "--").replace(".", "-")
    # Step 4: hyphens in both 3rd and 4th positions: wrap in "0-" ... "-0".
    if prefix[2:4] == "--":
        prefix = f"0-{prefix}-0"
    # Step 5: Punycode-encode (RFC 3492).  A label may not mix left-to-right
    # and right-to-left characters (RFC 3454 section 6): such a host falls
    # back to the hash, as in the reference implementation.
    if not prefix.isascii():
        if _mixes_directions(prefix):
            return _fallback_prefix(ascii_host)
        prefix = "xn--" + prefix.encode("punycode").decode("ascii")
    prefix = prefix.lower()
    # The result must be a valid DNS label: at most 63 characters.
    if not prefix or len(prefix) > _MAX_LABEL:
        return _fallback_prefix(ascii_host)
    return prefix


def amp_cache_subdomain(host: str) -> str:
    """Return the AMP Cache "domain prefix" of a publisher host.

    ``"www.example.com"`` gives ``"www-example-com"`` (served from
    ``www-example-com.cdn.ampproject.org``).  The host is lower-cased and
    converted from Punycode to Unicode, every ``-`` is doubled and every ``.``
    becomes ``-``; a result with ``-`` in both its 3rd and 4th positions is
    wrapped as ``0-...-0``, and the whole is Punycode-encoded again.  When that
    is impossible or longer than 63 characters (and, as in the reference
    implementation, for a host without a dot) the prefix is instead the
    lower-case unpadded base32 of the SHA-256 of the host's ASCII form.
    """
    return _amp_prefix(host)


def amp_cache_url(url: str) -> str:
    """Return the Google AMP Cache URL (``/c/`` content form) of a page URL.

    ``https://www.example.com/a?b=1`` gives
    ``https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a?b=1``:
    ``s/`` is present only for an ``https`` page; path, query and fragment are
    kept verbatim, and the host is lower-cased.  A default port (80 or 443) is
    dropped.

    Raises :class:`ValueError` for a URL that is not absolute ``http`` or
    ``https`` with a host, that carries credentials, or that has a
    non-default port (the cache always fetches from the default port).
    """
    parts = _split(url.strip())
    scheme = parts.scheme.lower() if parts else ""
    if parts is None or scheme not in _DEFAULT_PORTS or not parts.host:
        msg = f"{url!r} is not an absolute http(s) URL with a host"
        raise ValueError(msg)
    if parts.userinfo is not None:
        msg = f"{url!r} carries credentials; the AMP Cache cannot fetch it"
        raise ValueError(msg)
    if parts.port and (not parts.port.isdigit() or int(parts.port) != _DEFAULT_PORTS[scheme]):
        msg = f"{url!r} uses port {parts.port}; the AMP Cache only uses default ports"
        raise ValueError(msg)
    host = parts.host.lower()
    prefix = _amp_prefix(host.strip("[]"))
    secure = "s/" if scheme == "https" else ""
    return f"https://{prefix}.{AMP_CACHE_SUFFIX}/c/{secure}{host}{parts.rest}"


# --------------------------------------------------------------------------
# URL checks
# --------------------------------------------------------------------------


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL"}


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name}" if name else code


def _host_issue(value: str, host: str) -> UrlIssue | None:
    """Check the host part of an absolute URL; None when it is fine."""
    expected = (
        "expected a host name such as www.example.com made of dot-separated "
        "labels of 1 to 63 letters, digits or inner hyphens"
    )
    if not host:
        return UrlIssue("bad-host", f"URL {value!r} has no host; {expected}.")
    if host.startswith("["):
        if _is_ip(host):
            return None
        return UrlIssue(
            "bad-host",
            f"URL {value!r} has the invalid IPv6 literal {host!r}; "
            "expected an address such as [2001:db8::1].",
        )
    if host.endswith("."):
        return UrlIssue(
            "bad-host",
            f"URL {value!r} has a host ending in a dot ({host!r}); {expected}.",
            hint=value.replace(host, host.rstrip("."), 1),
        )
    try:
        ascii_host = _host_to_ascii(host)
    except UnicodeError:
        return UrlIssue(
            "bad-host",
            f"URL {value!r} has the host {host!r}, which cannot be converted "
            f"to an IDNA (punycode) name; {expected}.",
        )
    for label in ascii_host.split("."):
        if not _LDH_LABEL_RE.fullmatch(label):
            what = "an empty label" if not label else f"the invalid label {label!r}"
            return UrlIssue(
                "bad-host",
                f"URL {value!r} has {what} in its host {host!r}; {expected}.",
            )
    if len(ascii_host) > _MAX_HOST:
        return UrlIssue(
            "bad-host",
            f"URL {value!r} has a host of {len(ascii_host)} characters; "
            f"expected at most {_MAX_HOST}.",
        )
    return None


def _port_issue(value: str, port: str | None) -> UrlIssue | None:
    if port is None:
        return None
    if port.isascii() and port.isdigit() and 1 <= int(port) <= 65535:
        return None
    return UrlIssue(
        "bad-port",
        f"URL {value!r} has the port {port!r}; expected a number from 1 to 65535 "
        "after the host, or no port at all.",
    )


def _char_issues(value: str, stripped: str) -> list[UrlIssue]:
    issues: list[UrlIssue] = []
    if stripped != value:
        issues.append(
            UrlIssue(
                "whitespace",
                f"URL {value!r} has leading or trailing whitespace; remove it.",
                hint=stripped,
            )
        )
    controls = sorted({c for c in stripped if unicodedata.category(c) in ("Cc", "Cf")})
    spaces = sorted({c for c in stripped if c.isspace() and c not in controls})
    if spaces:
        names = ", ".join(_char_name(c) for c in spaces)
        # Suggest %20 only for plain spaces after the host (path or query).
        parts = _split(stripped)
        hint = None
        if spaces == [" "] and parts is not None and " " not in parts.authority:
            hint = stripped.replace(" ", "%20")
        issues.append(
            UrlIssue(
                "whitespace",
                f"URL {value!r} contains whitespace ({names}); "
                "percent-encode it (a space is %20) or remove it.",
                hint=hint,
            )
        )
    if controls:
        names = ", ".join(_char_name(c) for c in controls)
        issues.append(
            UrlIssue(
                "control-char",
                f"URL {value!r} contains control or invisible characters ({names}); remove them.",
                hint="".join(c for c in stripped if c not in controls),
            )
        )
    if _BAD_ESCAPE_RE.search(stripped):
        issues.append(
            UrlIssue(
                "bad-escape",
                f"URL {value!r} has a '%' not followed by two hex digits; "
                "write a literal percent sign as %25.",
            )
        )
    return issues


def url_problems(value: str, *, allow_relative: bool = False) -> list[UrlIssue]:
    """Return the problems of a URL value; an empty list means it is fine.

    A valid value is an absolute ``http`` or ``https`` URL whose host is a
    valid (possibly internationalised) host name or IP literal, with an
    optional numeric port, no ``user:password@`` part, no whitespace or
    control characters and no broken percent-escape.  With
    ``allow_relative=True`` a site-relative path (``/assets/a.png``, but not
    ``//host/...``) is accepted as well.

    An ``http`` URL is reported with severity ``"warning"``; every other
    issue has severity ``"error"``.
    """
    if not value.strip():
        what = "an empty string" if not value else f"only whitespace ({value!r})"
        return [
            UrlIssue(
                "empty",
                f"URL is {what}; expected an absolute https URL"
                + (" or a site-relative path." if allow_relative else "."),
            )
        ]
    stripped = value.strip()
    issues = _char_issues(value, stripped)

    if stripped.startswith("//"):
        issues.append(
            UrlIssue(
                "not-absolute",
                f"URL {value!r} is protocol-relative; expected it to start with https://.",
                hint="https:" + stripped,
            )
        )
        return issues
    if stripped.startswith("/"):
        if not allow_relative:
            issues.append(
                UrlIssue(
                    "not-absolute",
                    f"URL {value!r} is a site-relative path; expected an absolute "
                    "URL such as https://www.example.com/page.",
                )
            )
        return issues

    parts = _split(stripped)
    if parts is None:
        scheme_match = _SCHEME_RE.match(stripped)
        if scheme_match and scheme_match.group(1).lower() not in _DEFAULT_PORTS:
            scheme = scheme_match.group(1)
            issues.append(
                UrlIssue(
                    "bad-scheme",
                    f"URL {value!r} has the scheme {scheme!r}; expected http or https.",
                )
            )
        elif scheme_match:
            issues.append(
                UrlIssue(
                    "not-absolute",
                    f"URL {value!r} lacks the '//' before its host; expected "
                    f"{scheme_match.group(1)}://host/path.",
                    hint=f"{scheme_match.group(1)}://{stripped[scheme_match.end() :].lstrip('/')}",
                )
            )
        else:
            relative = " or a path starting with /" if allow_relative else ""
            issues.append(
                UrlIssue(
                    "not-absolute",
                    f"URL {value!r} has no scheme; expected an absolute URL "
                    f"starting with https://{relative}.",
                    hint="https://" + stripped if "." in stripped.split("/")[0] else None,
                )
            )
        return issues

    scheme = parts.scheme.lower()
    if scheme == "http":
        issues.append(
            UrlIssue(
                "http",
                f"URL {value!r} uses plain http; prefer https if the site serves it.",
                hint="https" + stripped[len(parts.scheme) :],
                severity="warning",
            )
        )
    elif scheme != "https":
        issues.append(
            UrlIssue(
                "bad-scheme",
                f"URL {value!r} has the scheme {parts.scheme!r}; expected http or https.",
            )
        )
    if parts.userinfo is not None:
        start = len(parts.scheme) + 3
        issues.append(
            UrlIssue(
                "credentials",
                f"URL {value!r} embeds a user name or password before '@'; remove the credentials.",
                hint=stripped[:start] + stripped[start + len(parts.userinfo) + 1 :],
            )
        )
    host_issue = _host_issue(value, parts.host)
    if host_issue is not None:
        issues.append(host_issue)
    port_issue = _port_issue(value, parts.port)
    if port_issue is not None:
        issues.append(port_issue)
    return issues


# --------------------------------------------------------------------------
# Hosts and domains
# --------------------------------------------------------------------------


def host_of(url: str) -> str | None:
    """Return the lower-case host of an absolute URL, without port or brackets.

    Returns None for a relative URL or one without a host.  The host is
    returned as written (an internationalised host is not converted).
    """
    parts = _split(url.strip())
    if parts is None or not parts.host:
        return None
    host = parts.host.lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host or None


@functools.lru_cache(maxsize=2)
def _psl(encoded: bool = False) -> PublicSuffixList:
    """The list; with ``encoded`` it also knows the punycode (``xn--``) form of its rules.

    Building the punycode forms costs three times as long as the rest, so it is done only for
    the rare host that has an ``xn--`` label.
    """
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=True, only_icann=False, accept_encoded_idn=encoded)


def _psl_for(name: str) -> PublicSuffixList:
    return _psl("xn--" in name)


@functools.lru_cache(maxsize=4096)
def _is_public_suffix(domain: str) -> bool:
    return bool(_psl_for(domain).is_public(domain))


@functools.lru_cache(maxsize=4096)
def _registrable_domain(host: str) -> str | None:
    result = _psl_for(host).privatesuffix(host)
    return result if isinstance(result, str) else None


def is_public_suffix(domain: str) -> bool:
    """Return True if ``domain`` is a public suffix (``com``, ``co.uk``, ``github.io``).

    Uses the whole Public Suffix List, private section included; a name
    under an unknown top-level domain counts as public, as the PSL's
    default ``*`` rule says.  An empty name or an IP address is not.
    """
    norm = _norm_domain(domain)
    if not norm or _is_ip(norm):
        return False
    return _is_public_suffix(norm)


def registrable_domain(host: str) -> str | None:
    """Return the registrable domain (eTLD+1) of ``host``, lower-cased.

    ``"news.bbc.co.uk"`` gives ``"bbc.co.uk"`` and ``"me.github.io"`` gives
    ``"me.github.io"``.  Returns None when ``host`` is empty, an IP address
    or itself a public suffix.  An internationalised host is answered in
    its IDNA (punycode) form.
    """
    norm = _norm_domain(host)
    if not norm or _is_ip(norm):
        return None
    return _registrable_domain(norm)


def is_same_or_subdomain(host: str, domain: str) -> bool:
    """Return True if ``host`` equals ``domain`` or is a subdomain of it.

    Comparison ignores case, a trailing dot and Unicode-versus-punycode
    spelling; it is label-wise, so ``"notexample.com"`` is not under
    ``"example.com"``.
    """
    h, d = _norm_domain(host), _norm_domain(domain)
    if not h or not d:
        return False
    return h == d or h.endswith("." + d)
