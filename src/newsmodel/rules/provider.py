"""Provider rules (``NM4xx``): ``provider.domain`` is a registrable domain that owns ``webUrl``.

NM402, NM403 and NM404 judge every domain field of every kind the same way (an affiliation's
``domain``, an organization's ``domain`` and ``_id``, ``domain`` keys of kinds the library does
not know); messages name the field.

Domains are judged with the Public Suffix List (ICANN and private sections), shipped offline by
the ``publicsuffixlist`` package, through :mod:`newsmodel.urls`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..model import DOMAIN
from ..problems import Problem
from ..urls import host_of, is_public_suffix, is_same_or_subdomain, registrable_domain, url_problems
from ..yamlio import MappingNode, ScalarNode
from ._base import Context, PathPart, Rule, register, related_items
from ._fields import fields

__all__ = [
    "DomainNotRegistrable",
    "DomainPublicSuffix",
    "DomainSyntax",
    "WebUrlOutsideDomain",
]

PSL_SPEC = "https://publicsuffix.org/"
_NOT_IN_DOMAIN = frozenset("/:@?# \t")


def _domains(ctx: Context) -> list[tuple[tuple[PathPart, ...], str]]:
    """Each string domain of the file: every field the model says is a domain, at any depth,
    for any kind (``provider.domain``, ``affiliation.domain``, an organization's ``_id``), and
    the ``domain`` keys it does not type; the domain rules ask for it with
    ``ctx.once(_domains)``, so it is found once per file."""
    return [
        (path, node.value)
        for path, node, _typed in fields(ctx).of(DOMAIN)
        if isinstance(node, ScalarNode) and type(node.value) is str
    ]


def _label(path: tuple[PathPart, ...]) -> str:
    """How messages name a domain field: ``provider.domain`` (also in ``related[3]``)."""
    start = max((i + 1 for i, part in enumerate(path) if isinstance(part, int)), default=0)
    return ".".join(str(part) for part in path[start:])


# An absolute http(s) URL whose host is lower-case ASCII, without port or user name: its host
# (as :func:`host_of` gives it) is what stands between ``//`` and the path.
_PLAIN_URL = re.compile(r"https?://([a-z0-9.\-]+)(?=[/?#]|\Z)")


def _host(url: str) -> str | None:
    match = _PLAIN_URL.match(url)
    return match[1] if match is not None else host_of(url)


@functools.lru_cache(maxsize=4096)
def _syntax_problem(domain: str) -> tuple[str, str | None] | None:
    """What is wrong with the spelling of a domain (message after the field's name, hint)."""
    if not domain.strip():
        return (
            f"is {'empty' if not domain else 'blank'}; expected a domain such as example.com.",
            None,
        )
    stripped = domain.strip()
    if stripped != domain:
        return f"{domain!r} has leading or trailing whitespace.", stripped
    if any(c in _NOT_IN_DOMAIN for c in domain):
        host = host_of(domain) if "://" in domain else None
        guess = host or domain.split("/")[0].split(":")[0].rsplit("@", 1)[-1]
        guess = guess.removeprefix("www.") if guess.startswith("www.") else guess
        return (
            f"{domain!r} is not a bare domain name; expected only the domain, "
            "without scheme, path or port.",
            guess or None,
        )
    if domain != domain.lower():
        return f"{domain!r} is not lower-case.", domain.lower()
    if domain.endswith("."):
        return f"{domain!r} ends with a dot.", domain.rstrip(".")
    for issue in url_problems(f"https://{domain}/"):
        if issue.code == "bad-host":
            return (
                f"{domain!r} is not a valid domain name; expected "
                "dot-separated labels of letters, digits and inner hyphens.",
                None,
            )
    return None


@functools.lru_cache(maxsize=4096)
def _is_public(domain: str) -> bool:
    return is_public_suffix(domain)


@functools.lru_cache(maxsize=4096)
def _registrable_other(domain: str) -> str | None:
    """The registrable domain of ``domain`` where that is not ``domain`` itself."""
    reg = registrable_domain(domain)
    return reg if reg is not None and not is_same_or_subdomain(reg, domain) else None


@functools.lru_cache(maxsize=8192)
def _outside(host: str, domain: str) -> bool:
    return not is_same_or_subdomain(host, domain)


@register
class DomainSyntax(Rule):
    """``provider.domain`` must be a bare, lower-case domain name.

    It is compared with hosts and shown to readers as the source; a scheme, a path, a port,
    upper-case letters or stray blanks make every comparison fail.

    Fails::

        provider:
          name: Example News
          domain: "https://Example.com/"

    Passes::

        provider:
          name: Example News
          domain: example.com
    """

    code = "NM403"
    name = "domain-syntax"
    spec = PSL_SPEC

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for path, domain in ctx.once(_domains):
            bad = _syntax_problem(domain)
            if bad is not None:
                message, hint = bad
                found.append(
                    ctx.problem(
                        self,
                        f"{_label(path)} {message}",
                        path,
                        hint=f"{path[-1]}: {hint}" if hint else None,
                    )
                )
        return iter(found)


@register
class DomainPublicSuffix(Rule):
    """``provider.domain`` must not be a public suffix (``com``, ``co.uk``, ``github.io``).

    A public suffix is shared by unrelated owners: every site would "belong" to it. Write the
    provider's own registrable domain (``bbc.co.uk``, ``someone.github.io``).

    Fails::

        provider:
          name: BBC
          domain: co.uk

    Passes::

        provider:
          name: BBC
          domain: bbc.co.uk
    """

    code = "NM402"
    name = "domain-public-suffix"
    spec = PSL_SPEC

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for path, domain in ctx.once(_domains):
            if _syntax_problem(domain) is None and _is_public(domain):
                found.append(
                    ctx.problem(
                        self,
                        f"{_label(path)} {domain!r} is a public suffix shared by unrelated "
                        "sites; expected the provider's own domain, such as example.co.uk.",
                        path,
                    )
                )
        return iter(found)


@register
class DomainNotRegistrable(Rule):
    """``provider.domain`` should be the registrable domain, not a sub-domain of it (a warning).

    The format names the provider by its registrable domain (``example.com``, not
    ``www.example.com`` or ``news.example.com``), so that one provider has one domain.

    Fails::

        provider:
          name: Example News
          domain: www.example.com

    Passes::

        provider:
          name: Example News
          domain: example.com
    """

    code = "NM404"
    severity = "warning"
    name = "domain-not-registrable"
    spec = PSL_SPEC

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for path, domain in ctx.once(_domains):
            if _syntax_problem(domain) is None:
                reg = _registrable_other(domain)
                if reg is not None:
                    found.append(
                        ctx.problem(
                            self,
                            f"{_label(path)} {domain!r} is a sub-domain; expected the "
                            f"registrable domain {reg!r}.",
                            path,
                            hint=f"{path[-1]}: {reg}",
                        )
                    )
        return iter(found)


@register
class WebUrlOutsideDomain(Rule):
    """For ``type: article``, the host of ``webUrl`` must be ``provider.domain`` or under it.

    An article is published by its provider: a ``webUrl`` on another site means the provider or
    the link is wrong (often a copy-and-paste from another file). Checked for ``related[]``
    articles too. Videos, courses and downloads are often hosted elsewhere (YouTube, a learning
    platform) and are not checked.

    Fails::

        webUrl: "https://www.other.org/story"
        type: article
        provider:
          name: Example News
          domain: example.com

    Passes::

        webUrl: "https://news.example.com/story"
        type: article
        provider:
          name: Example News
          domain: example.com
    """

    code = "NM401"
    name = "weburl-outside-domain"
    spec = PSL_SPEC

    def check(self, ctx: Context) -> Iterator[Problem]:
        items: list[tuple[tuple[PathPart, ...], MappingNode]] = [((), ctx.root)]
        for i, node in related_items(ctx):
            items.append((("related", i), node))
        found: list[Problem] = []
        for path, item in items:
            kind = item.get("type")
            if not (isinstance(kind, ScalarNode) and kind.value == "article"):
                continue
            url = item.get("webUrl")
            provider = item.get("provider")
            if not (isinstance(url, ScalarNode) and type(url.value) is str):
                continue
            if not isinstance(provider, MappingNode):
                continue
            domain_node = provider.get("domain")
            if not (isinstance(domain_node, ScalarNode) and type(domain_node.value) is str):
                continue
            domain = domain_node.value
            host = _host(url.value)
            if host is None or _syntax_problem(domain) is not None:
                continue
            if _outside(host, domain):
                reg = registrable_domain(host)
                found.append(
                    ctx.problem(
                        self,
                        f"webUrl is on {host!r}, which is not provider.domain {domain!r} "
                        "or a sub-domain of it.",
                        (*path, "webUrl"),
                        hint=f"Check the link, or set provider.domain to {reg!r}." if reg else None,
                    )
                )
        return iter(found)
