"""Hypothesis strategies for the model: generate valid items for your own property tests.

>>> from hypothesis import given
>>> from newsmodel.strategies import articles, items
>>> @given(articles())
... def test_round_trip(article): ...

:func:`items` draws an item of any kind: an article (:func:`articles`), a profile, a collection,
an organization, a forum, a newsletter, or an item of a kind the library does not know
(:func:`generic_items`: a podcast with an ``audioUrl``, an event with ``startDateTime``...).

Every article drawn from :func:`articles` is valid (it passes :func:`newsmodel.validate` with
no problem at ``now`` = today): URLs on the provider's domain, AMP cache URLs computed from the
AMP URL, past timestamps with a zone, unique topics. Texts include any printable Unicode,
quotes, colons, ``#`` and long excerpts. Requires ``hypothesis`` (the ``test`` extra).
"""

from __future__ import annotations

import base64
import datetime as dt
import string

from hypothesis import strategies as st

from .model import (
    Action,
    Affiliation,
    Article,
    Author,
    Collection,
    Forum,
    GenericItem,
    Image,
    Item,
    LinkedIn,
    Newsletter,
    Organization,
    Profile,
    Provider,
    Ratings,
    Related,
    Twitter,
)
from .urls import amp_cache_url

__all__ = [
    "actions",
    "articles",
    "collections",
    "datetimes",
    "domains",
    "forums",
    "generic_items",
    "images",
    "items",
    "newsletters",
    "organizations",
    "profiles",
    "providers",
    "related_items",
    "texts",
    "titles",
]

_TRICKY = [
    'Say "hello": a title with quotes',
    "It's #1 - the 'best' one",
    "key: value, [not] {a} mapping",
    "- starts with a dash",
    "? question mark start",
    "true",
    "null",
    "2020-01-01",
    "0x1F",
    "@mention and `code` and %percent",
    "Tab\tinside",
    "emoji 🙂 and ünïcödé and 中文",
    "trailing colon:",
    "back\\slash",
    "*star & ampersand !bang |pipe >gt",
]


def _printable() -> st.SearchStrategy[str]:
    return st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"
    )


def texts(*, min_size: int = 1, max_size: int = 80) -> st.SearchStrategy[str]:
    """Printable text without leading or trailing white space, tricky YAML cases included."""
    plain = st.text(_printable(), min_size=min_size, max_size=max_size).map(str.strip)
    return st.one_of(plain, st.sampled_from(_TRICKY)).filter(lambda s: len(s) >= min_size)


def titles() -> st.SearchStrategy[str]:
    return texts(min_size=1, max_size=120)


def _excerpts() -> st.SearchStrategy[str]:
    long = st.text(_printable(), min_size=300, max_size=1500).map(str.strip)
    return st.one_of(texts(max_size=200), long.filter(bool))


_label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)


@st.composite
def domains(draw: st.DrawFn) -> str:
    """A registrable domain such as ``example-news.co.uk``."""
    first = draw(_label)
    second = draw(st.one_of(st.just(""), _label))
    name = f"{first}-{second}" if second else first
    return f"{name}.{draw(st.sampled_from(['com', 'org', 'net', 'io', 'co.uk', 'de', 'news']))}"


def _path() -> st.SearchStrategy[str]:
    segment = st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=16)
    return st.lists(segment, min_size=0, max_size=4).map(lambda parts: "/" + "/".join(parts))


@st.composite
def _url(draw: st.DrawFn, domain: str | None = None) -> str:
    domain = domain or draw(domains())
    sub = draw(st.sampled_from(["", "www.", "news.", "amp."]))
    query = draw(st.one_of(st.just(""), st.just("?id=42&x=y")))
    return f"https://{sub}{domain}{draw(_path())}{query}"


def datetimes() -> st.SearchStrategy[dt.datetime]:
    """Past timestamps with a zone (UTC mostly), whole seconds, as the format writes them."""
    zones = st.one_of(
        st.just(dt.timezone.utc),
        st.integers(-12 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q))),
    )
    return st.datetimes(
        min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2024, 12, 31), timezones=zones
    ).map(lambda d: d.replace(microsecond=0))


def images(*, relative: bool = False) -> st.SearchStrategy[Image]:
    """An image with a URL (site-relative too, with ``relative=True``) and optional size."""
    url = _url()
    if relative:
        url = st.one_of(url, _path().map(lambda p: "/assets/images" + p + ".jpg"))
    size = st.one_of(st.none(), st.integers(1, 5000))
    return st.builds(
        Image,
        url=url,
        width=size,
        height=size,
        is_cached=st.one_of(st.none(), st.booleans()),
        title=st.one_of(st.none(), titles()),
    )


def _tuples(strategy: st.SearchStrategy[object], max_size: int = 3) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), st.lists(strategy, min_size=1, max_size=max_size).map(tuple))


@st.composite
def providers(draw: st.DrawFn, domain: str | None = None, authors: bool = False) -> Provider:
    return Provider(
        name=draw(texts(max_size=40)),
        domain=domain or draw(domains()),
        images=draw(_tuples(images(relative=True), 2)),  # type: ignore[arg-type]
        authors=draw(_tuples(st.builds(Author, name=texts(max_size=40)), 3)) if authors else None,  # type: ignore[arg-type]
    )


def _secured() -> st.SearchStrategy[str]:
    blob = st.binary(min_size=1, max_size=64).map(lambda b: base64.b64encode(b).decode())
    return st.tuples(blob, blob).map(";".join)


def _topics() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(max_size=30), min_size=1, max_size=4, unique=True).map(tuple)


@st.composite
def _amp(draw: st.DrawFn, domain: str) -> tuple[str | None, str | None]:
    if not draw(st.booleans()):
        return None, None
    amp = draw(_url(domain))
    return amp, amp_cache_url(amp)


@st.composite
def related_items(draw: st.DrawFn) -> Related:
    """A related article: its URL on its provider's domain, AMP URLs consistent."""
    domain = draw(domains())
    amp, cdn = draw(_amp(domain))
    return Related(
        title=draw(titles()),
        excerpt=draw(st.one_of(st.none(), _excerpts())),
        published_date_time=draw(st.one_of(st.none(), datetimes())),
        web_url=draw(_url(domain)),
        amp_web_url=amp,
        cdn_amp_web_url=cdn,
        type="article",
        provider=draw(providers(domain)),
        quality=draw(st.one_of(st.none(), st.integers(0, 200))),
        images=draw(_tuples(images(), 2)),  # type: ignore[arg-type]
    )


def actions() -> st.SearchStrategy[Action]:
    return st.builds(
        Action,
        url=_url(),
        type=st.sampled_from(["download", "view"]),
        title=titles(),
        attribution=st.one_of(st.none(), texts(max_size=40)),
    )


def _durations() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(
            lambda h, m, s: f"PT{h}H{m}M{s}S",
            st.integers(1, 9),
            st.integers(0, 59),
            st.integers(0, 59),
        ),
        st.builds(lambda m: f"PT{m}M", st.integers(1, 59)),
        st.just("P1M"),
    )


@st.composite
def articles(
    draw: st.DrawFn, kinds: tuple[str, ...] = ("article", "video", "course", "download")
) -> Article:
    """A valid article of one of the item kinds."""
    kind = draw(st.sampled_from(kinds))
    domain = draw(domains())
    common = {
        "title": draw(titles()),
        "excerpt": draw(_excerpts()),
        "type": kind,
        "heat": draw(st.one_of(st.none(), st.integers(-1, 300))),
        "topics": draw(_topics()),
        "images": draw(_tuples(images(), 2)),
        "secured": draw(st.one_of(st.none(), _secured())),
        "provider": draw(providers(domain, authors=kind == "download")),
    }
    if kind == "article":
        amp, cdn = draw(_amp(domain))
        return Article(
            category="news",
            published_date_time=draw(datetimes()),
            web_url=draw(_url(domain)),
            original_url=draw(st.one_of(st.none(), _url(domain))),
            amp_web_url=amp,
            cdn_amp_web_url=cdn,
            quality=draw(st.one_of(st.none(), st.integers(0, 200))),
            published=draw(st.one_of(st.none(), st.booleans())),
            related=draw(_tuples(related_items(), 3)),  # type: ignore[arg-type]
            **common,  # type: ignore[arg-type]
        )
    if kind == "video":
        return Article(
            published_date_time=draw(datetimes()),
            original_url=draw(_url()),
            price=draw(st.one_of(st.none(), st.just("Free"))),
            length=draw(st.one_of(st.none(), _durations())),
            featured_content=draw(st.one_of(st.none(), texts(max_size=200))),
            removed=draw(st.one_of(st.none(), st.booleans())),
            published=draw(st.one_of(st.none(), st.booleans())),
            **common,  # type: ignore[arg-type]
        )
    if kind == "course":
        return Article(
            web_url=draw(_url()),
            price=draw(st.sampled_from(["Free", "Paid"])),
            length=draw(_durations()),
            ratings=draw(
                st.one_of(
                    st.none(),
                    st.builds(
                        Ratings,
                        count=st.integers(0, 10**6),
                        average=st.floats(0, 5, allow_nan=False).map(lambda f: round(f, 7)),
                    ),
                )
            ),
            levels=draw(
                st.lists(
                    st.sampled_from(["Beginner", "Intermediate", "Advanced"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                ).map(tuple)
            ),
            **common,  # type: ignore[arg-type]
        )
    return Article(
        original_url=draw(_url()),
        published_date_time=draw(datetimes()),
        actions=draw(st.lists(actions(), min_size=1, max_size=2).map(tuple)),
        **common,  # type: ignore[arg-type]
    )


def _opt(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """A person's profile (``type: profile``): social accounts, an affiliation with a logo."""
    handle = draw(st.text(string.ascii_lowercase + string.digits + "_", min_size=1, max_size=15))
    domain = draw(domains())
    return Profile(
        name=draw(texts(max_size=40)),
        bio=draw(_opt(texts(max_size=160))),  # type: ignore[arg-type]
        location=draw(_opt(texts(max_size=40))),  # type: ignore[arg-type]
        type="profile",
        heat=draw(_opt(st.integers(0, 300))),  # type: ignore[arg-type]
        affiliation=draw(
            _opt(  # type: ignore[arg-type]
                st.builds(
                    Affiliation,
                    name=texts(max_size=40),
                    domain=st.just(domain),
                    images=_tuples(images(relative=True), 1),
                )
            )
        ),
        website=draw(_opt(_url())),  # type: ignore[arg-type]
        twitter=draw(
            _opt(  # type: ignore[arg-type]
                st.builds(
                    Twitter,
                    username=st.just(handle),
                    url=st.just(f"https://twitter.com/{handle}"),
                    followers=st.integers(0, 10**7),
                )
            )
        ),
        linkedin=draw(_opt(st.builds(LinkedIn, url=_url("linkedin.com")))),  # type: ignore[arg-type]
        topics=draw(_topics()),
        images=draw(_tuples(images(), 1)),  # type: ignore[arg-type]
        secured=draw(_opt(_secured())),  # type: ignore[arg-type]
    )


def _slug() -> st.SearchStrategy[str]:
    return st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=30)


@st.composite
def collections(draw: st.DrawFn) -> Collection:
    """A collection (``type: collection``) whose ``items`` name other files of the site."""
    folder = draw(st.sampled_from(["videos", "courses"]))
    refs = st.lists(_slug().map(lambda s: f"{folder}/{s}"), min_size=1, max_size=6, unique=True)
    return Collection(
        title=draw(titles()),
        excerpt=draw(st.one_of(st.just(""), _excerpts())),
        type="collection",
        price=draw(_opt(st.sampled_from(["Free", "Paid"]))),  # type: ignore[arg-type]
        length=draw(_opt(_durations())),  # type: ignore[arg-type]
        heat=draw(_opt(st.integers(0, 300))),  # type: ignore[arg-type]
        provider=draw(_opt(providers())),  # type: ignore[arg-type]
        items=tuple(draw(refs)),
        topics=draw(_topics()),
        images=draw(_tuples(images(), 1)),  # type: ignore[arg-type]
        secured=draw(_opt(_secured())),  # type: ignore[arg-type]
    )


@st.composite
def organizations(draw: st.DrawFn) -> Organization:
    """An organization (``taxonomy: organization``) with its site-relative logos."""
    domain = draw(domains())
    logos = tuple(
        Image(url=f"/assets/images/organizations/{domain}-{n}x{n}.jpg", width=n, height=n)
        for n in (50, 400)
    )
    return Organization(
        taxonomy="organization",
        id=domain,
        name=draw(texts(max_size=40)),
        domain=domain,
        description=draw(_opt(texts(max_size=200))),  # type: ignore[arg-type]
        other_names=draw(_opt(st.lists(texts(max_size=30), min_size=1, max_size=2).map(tuple))),  # type: ignore[arg-type]
        images=logos,
    )


@st.composite
def forums(draw: st.DrawFn) -> Forum:
    """A community (``type: forum``)."""
    domain = draw(domains())
    url = draw(_url(domain))
    return Forum(
        name=draw(texts(max_size=60)),
        excerpt=draw(_opt(_excerpts())),  # type: ignore[arg-type]
        original_url=url,
        web_url=url,
        type="forum",
        members=draw(_opt(st.integers(0, 10**6))),  # type: ignore[arg-type]
        heat=draw(_opt(st.integers(0, 300))),  # type: ignore[arg-type]
        provider=draw(_opt(providers(domain))),  # type: ignore[arg-type]
        topics=draw(_topics()),
        images=draw(_tuples(images(), 1)),  # type: ignore[arg-type]
    )


@st.composite
def newsletters(draw: st.DrawFn) -> Newsletter:
    """An issue of a site's newsletter: ``type: article``, no provider (read it with
    ``kind="newsletter"`` or from a ``_newsletters`` folder)."""
    return Newsletter(
        title=draw(titles()),
        excerpt=draw(_opt(_excerpts())),  # type: ignore[arg-type]
        published_date_time=draw(datetimes()),
        web_url=draw(_url()),
        type="article",
        topics=draw(_topics()),
        secured=draw(_opt(_secured())),  # type: ignore[arg-type]
    )


_UNKNOWN_KINDS = ("podcast", "event", "webinar", "book", "challenge", "form", "game-video")


@st.composite
def generic_items(draw: st.DrawFn) -> GenericItem:
    """An item of a kind the library does not know (``type: podcast``, ``event``...), with
    keys only its site knows: URLs named ``*Url``, timestamps named ``*DateTime`` (with a
    zone), prices, ratings, lists and nested mappings, all kept in ``extra``."""
    kind = draw(st.sampled_from(_UNKNOWN_KINDS))
    extra: dict[str, object] = {}
    if draw(st.booleans()):
        extra["audioUrl"] = draw(_url())
    if draw(st.booleans()):
        start = draw(datetimes())
        extra["startDateTime"] = start
        extra["endDateTime"] = start + dt.timedelta(hours=draw(st.integers(1, 48)))
    if draw(st.booleans()):
        extra["price"] = draw(st.sampled_from(["Free", "$19.99", "Paid"]))
        extra["ratings"] = {
            "count": draw(st.integers(0, 10**5)),
            "average": draw(st.floats(0, 5, allow_nan=False).map(lambda f: round(f, 2))),
        }
    if draw(st.booleans()):
        extra["hosts"] = draw(st.lists(texts(max_size=30), min_size=1, max_size=3))
    if draw(st.booleans()):
        extra["provider"] = {"name": draw(texts(max_size=40)), "domain": draw(domains())}
    if draw(st.booleans()):
        extra["images"] = [{"url": draw(_url()), "width": 640, "height": 360}]
    return GenericItem(
        title=draw(_opt(titles())),  # type: ignore[arg-type]
        name=draw(_opt(texts(max_size=40))),  # type: ignore[arg-type]
        excerpt=draw(_opt(_excerpts())),  # type: ignore[arg-type]
        type=kind,
        extra=extra,
    )


def items() -> st.SearchStrategy[Item]:
    """An item of any kind: every kind the library knows, and kinds it does not."""
    return st.one_of(
        articles(),
        profiles(),
        collections(),
        organizations(),
        forums(),
        newsletters(),
        generic_items(),
    )
