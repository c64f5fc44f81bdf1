"""Kinds: the class of each kind, how a file's kind is found, kinds of your own, and files of
kinds the library has never seen (they load, round-trip, edit in one line and get every field
rule that applies to their keys)."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsmodel as nm
from newsmodel import kinds, model
from newsmodel.document import kind_of
from newsmodel.model import GenericItem, Item, extra_field, field
from newsmodel.validation import kind_for
from newsmodel.yamlio import parse_text

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def codes(text: str, **kw: Any) -> list[tuple[str, str]]:
    return [(p.code, p.pointer or "") for p in nm.check_text(text, now=NOW, **kw)]


def changed_lines(before: str, after: str) -> int:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b), (before, after)
    return sum(x != y for x, y in zip(a, b, strict=True))


# -- the built-in kinds ------------------------------------------------------------------------

PROFILE = """---
name: "April Dunnam"
bio: "Partner Technical Architect"
location: Broken Arrow, OK
type: "profile"
heat: 106

affiliation:
  name: Microsoft
  domain: microsoft.com
  images:
    - url: "/assets/images/organizations/microsoft.com-50x50.jpg"
      width: 50
      height: 50

website: https://t.co/enJuiGEQZc

twitter:
  username: aprildunnam
  url: https://twitter.com/aprildunnam
  followers: 6475

linkedin:
  url: https://www.linkedin.com/public-profile/in/april-dunnam

topics:
  - Power Apps
---
"""

ORGANIZATION = """---
taxonomy: organization
_id: amazon.com
name: Amazon
domain: amazon.com
images:
  - url: /assets/images/organizations/amazon.com-50x50.jpg
    width: 50
    height: 50
---
"""

COLLECTION = """---
title: "Beginner Power Apps Topics"
excerpt: ""
type: collection
length: PT1H17M

provider:
  name: April Dunnam
  domain: aprildunnam.com

items:
  - videos/april-dunnam-how-to-get-started-with-power-apps
  - courses/microsoft-learn-portals-administration
---
"""

NEWSLETTER = """---\r
title: "Power Apps Smartable (2020-10-07)"\r
excerpt: "Gartner Magic Quadrant Names Microsoft Power Apps a Leader"\r
publishedDateTime: 2020-10-07T19:41:02Z\r
webUrl: "https://smartable.ai/apps/powerapps/newsletter/power-apps-smartable-2020-10-07/"\r
type: article\r
---\r
<html><body><p>Hello</p></body></html>\r
"""


@pytest.mark.parametrize(
    ("text", "cls", "name"),
    [
        (PROFILE, model.Profile, "profile"),
        (ORGANIZATION, model.Organization, "organization"),
        (COLLECTION, model.Collection, "collection"),
    ],
)
def test_each_kind_has_its_class(text: str, cls: type[Item], name: str) -> None:
    doc = nm.loads(text)
    assert type(doc.item) is cls and doc.kind is not None and doc.kind.name == name
    assert nm.dumps(doc) == text
    assert nm.check_text(text, now=NOW) == []
    assert doc.item.label is not None


def test_a_profile_is_edited_through_item_and_has_no_article() -> None:
    doc = nm.loads(PROFILE)
    assert isinstance(doc.item, model.Profile)
    with pytest.raises(AttributeError, match=r"use Document\.item"):
        _ = doc.article
    doc.item = attrs.evolve(doc.item, name="April D.")
    text = nm.dumps(doc)
    assert changed_lines(PROFILE, text) == 1 and 'name: "April D."' in text


def test_article_is_still_the_item_of_an_article(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "examples" / "article.md").read_text(encoding="utf-8")
    doc = nm.loads(text)
    assert doc.article is doc.item
    doc.article = attrs.evolve(doc.article, title="Changed")
    assert doc.item.label == "Changed"
    assert nm.Document(article=doc.article).item is doc.article
    with pytest.raises(TypeError, match="needs its item"):
        nm.Document()


def test_a_newsletter_is_told_by_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "_newsletters"
    folder.mkdir()
    path = folder / "issue.html"
    path.write_bytes(NEWSLETTER.encode())
    doc = nm.load(path)
    assert type(doc.item) is model.Newsletter and nm.dumps(doc) == NEWSLETTER
    assert nm.check_file(path, now=NOW) == []
    # elsewhere, type: article is an article, which needs a provider
    other = tmp_path / "issue.html"
    other.write_bytes(NEWSLETTER.encode())
    assert ("NM101", "$.provider") in [(p.code, p.pointer) for p in nm.check_file(other, now=NOW)]
    assert type(nm.loads(NEWSLETTER, kind="newsletter").item) is model.Newsletter


def test_folders_give_the_kind_of_files_that_do_not_say(tmp_path: Path) -> None:
    forum = tmp_path / "_communities" / "group.md"
    forum.parent.mkdir()
    forum.write_text('---\nname: "A group"\nmembers: 12\n---\n', encoding="utf-8")
    assert type(nm.load(forum).item) is model.Forum
    # a folder's kind gives way to a type that names another kind
    forum.write_text('---\nname: "A"\ntype: profile\n---\n', encoding="utf-8")
    assert type(nm.load(forum).item) is model.Profile
    assert kinds.resolve({}, forum, site=False).name == "forum"


def test_the_site_config_defaults_give_the_type(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        textwrap.dedent(
            """\
            collections:
              members:
                output: true
            defaults:
              - scope:
                  path: ""
                  type: members
                values:
                  type: profile
            exclude:
              - drafts
            """
        ),
        encoding="utf-8",
    )
    member = tmp_path / "_members" / "ada.md"
    member.parent.mkdir()
    member.write_text('---\nname: "Ada"\n---\n', encoding="utf-8")
    doc = nm.load(member)
    assert type(doc.item) is model.Profile and doc.kind is not None
    assert nm.check_file(member, now=NOW) == []
    # without the site around it, the file says nothing of its kind
    assert type(nm.loads(member.read_text(encoding="utf-8")).item) is GenericItem


def test_unknown_kinds() -> None:
    text = "---\ntitle: Something\n---\n"
    assert kind_of(parse_text(text)).known is False
    assert codes(text) == [("NM613", "$")]
    assert codes("---\ntitle: A\ntype: articel\n---\n") == [("NM611", "$.type")]
    assert codes("---\nname: A\ntaxonomy: organisation\n---\n") == [("NM611", "$.taxonomy")]
    with pytest.raises(ValueError, match="no kind is named"):
        nm.loads(text, kind="no-such-kind")


def test_the_registry() -> None:
    names = [k.name for k in kinds.builtin_kinds()]
    assert names[:4] == ["article", "video", "course", "download"]
    assert {"profile", "collection", "organization", "forum", "newsletter"} <= set(names)
    assert kinds.get("organization", "taxonomy") is not None and kinds.get("organization") is None
    assert "organization" in kinds.known_values("taxonomy")
    with pytest.raises(kinds.KindError, match=r"not a newsmodel\.model\.Item"):
        kinds.Kind(name="x", cls=model.Image)  # type: ignore[arg-type]
    with pytest.raises(kinds.KindError, match="needs the kind's name"):
        kinds.register(model.Profile)
    with pytest.raises(kinds.KindError, match="registered already"):
        kinds.register(kinds.Kind(name="profile", cls=model.Forum))
    assert kinds.register(kinds.builtin_kinds()[0]) is kinds.builtin_kinds()[0]
    with pytest.raises(ValueError, match="unknown meaning"):
        field("x", meaning="colour")  # type: ignore[arg-type]


def test_kind_for_an_item() -> None:
    assert kind_for(model.Profile(name="A")).name == "profile"
    assert kind_for(model.Newsletter(title="A", type="article")).name == "newsletter"
    assert kind_for(GenericItem(type="podcast")).known is False


# -- a kind of your own ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Episode(Item):
    """A podcast episode (a kind of the tests' own)."""

    title: str = field("title", required=True)
    type: str | None = field("type")
    audio_url: str | None = field("audioUrl", meaning=model.URL)
    recorded_date_time: dt.datetime | None = field("recordedDateTime", meaning=model.TIMESTAMP)  # noqa: RUF009
    extra: Any = extra_field()  # noqa: RUF009


def test_a_kind_of_your_own_gets_its_required_keys_and_field_checks() -> None:
    kinds.register(kinds.Kind(name="episode", cls=Episode, required=("audioUrl",)))
    text = '---\ntitle: "Pilot"\ntype: episode\naudioUrl: "https://cdn.example.com/1.mp3"\n---\n'
    doc = nm.loads(text)
    assert isinstance(doc.item, Episode) and doc.item.audio_url == "https://cdn.example.com/1.mp3"
    assert codes(text) == []
    assert codes(text.replace("https://", "ftp://")) == [("NM201", "$.audioUrl")]
    assert codes('---\ntitle: "Pilot"\ntype: episode\n---\n') == [("NM601", "$.audioUrl")]
    naive = text.replace("---\n", "---\nrecordedDateTime: 2021-01-01T10:00:00\n", 1)
    assert codes(naive) == [("NM100", "$.recordedDateTime")]
    assert ("NM102", "$.audioURL") in codes(text.replace("audioUrl", "audioURL"))


def _write_plugin(root: Path, name: str, kind: str, settings: bool) -> None:
    """A package ``name`` with a kind ``Talk``; an installed distribution naming it in the
    entry points unless ``settings`` (then ``[tool.newsmodel] kinds`` names it)."""
    (root / f"{name}.py").write_text(
        textwrap.dedent(
            """\
            import attrs
            from newsmodel.model import Item, URL, field, extra_field

            @attrs.frozen(kw_only=True)
            class Talk(Item):
                title: str = field("title", required=True)
                type: str | None = field("type")
                slides_url: str | None = field("slidesUrl", meaning=URL)
                extra: dict = extra_field()
            """
        ),
        encoding="utf-8",
    )
    if settings:
        (root / "pyproject.toml").write_text(
            f'[tool.newsmodel]\nkinds = {{ {kind} = "{name}:Talk" }}\n'
            f'folders = {{ "_talks" = "{kind}" }}\n',
            encoding="utf-8",
        )
        return
    dist = root / f"{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[newsmodel.kinds]\n{kind} = {name}:Talk\n")


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))


def test_a_kind_from_an_entry_point(on_path: Path) -> None:
    _write_plugin(on_path, "talks_plugin", "talk", settings=False)
    assert [k.name for k in kinds.load_plugins()] == ["talk"]
    text = '---\ntitle: "A talk"\ntype: talk\nslidesUrl: "https://example.com/ deck"\n---\n'
    assert type(nm.loads(text).item).__name__ == "Talk"
    assert codes(text) == [("NM202", "$.slidesUrl")]


def test_a_kind_named_in_pyproject(on_path: Path) -> None:
    _write_plugin(on_path, "talks_settings", "lecture", settings=True)
    talk = on_path / "_talks" / "one.md"
    talk.parent.mkdir()
    talk.write_text('---\ntitle: "A lecture"\nslidesUrl: "deck.pdf"\n---\n', encoding="utf-8")
    doc = nm.load(talk)
    assert type(doc.item).__name__ == "Talk" and doc.kind is not None
    assert [(p.code, p.pointer) for p in nm.check_file(talk, now=NOW)] == [("NM201", "$.slidesUrl")]


def test_bad_kind_settings(tmp_path: Path) -> None:
    with pytest.raises(kinds.KindError, match=r"expected 'package\.module:Name'"):
        kinds.load_setting("nothing", "x")
    with pytest.raises(kinds.KindError, match="cannot be imported"):
        kinds.load_setting("no_such_module_here:X", "x")
    with pytest.raises(kinds.KindError, match=r"neither a newsmodel\.kinds\.Kind"):
        kinds.load_setting("newsmodel.model:field", "x")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsmodel]\nfolders = { "_x" = "no-such-kind" }\n', encoding="utf-8"
    )
    (tmp_path / "_x").mkdir()
    (tmp_path / "_x" / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    with pytest.raises(kinds.KindError, match="not registered"):
        nm.load(tmp_path / "_x" / "a.md")


# -- kinds never seen, built from scratch -------------------------------------------------------

PODCAST = """---
title: "Low Code Radio, episode 12"
excerpt: "Canvas apps, explained."
type: podcast
publishedDateTime: 2021-05-04T06:00:00Z
audioUrl: "https://cdn.example.com/episodes/12.mp3"
lengthSeconds: 2710

provider:
  name: Low Code Radio
  domain: lowcoderadio.com
---
Show notes.
"""

EVENT = """---
title: "Power Platform Summit"
type: event
startDateTime: 2021-10-12T09:00:00+02:00
endDateTime: 2021-10-14T17:00:00+02:00
registrationUrl: "https://events.example.com/summit"
venue:
  name: Messe Wien
  mapUrl: "https://maps.example.com/messe-wien"
---
"""

BOOK = """---
title: "Power Apps Step by Step"
type: book
price: "$39.99"
ratings:
  count: 120
  average: 4.5
publishedDateTime: 2020-02-01T00:00:00Z
purchaseUrl: "https://books.example.com/power-apps"
---
"""


@pytest.mark.parametrize("text", [PODCAST, EVENT, BOOK], ids=["podcast", "event", "book"])
def test_kinds_never_seen_load_round_trip_and_edit_in_one_line(text: str) -> None:
    doc = nm.loads(text)
    assert isinstance(doc.item, GenericItem) and doc.kind is not None and not doc.kind.known
    assert nm.dumps(doc) == text
    assert codes(text) == [("NM611", "$.type")]  # at most a warning: the kind is unknown
    doc.item = attrs.evolve(doc.item, title="Renamed")
    assert changed_lines(text, nm.dumps(doc)) == 1
    extra = dict(doc.item.extra)
    key = next(k for k in extra if k.endswith("Url"))
    doc.item = attrs.evolve(doc.item, extra={**extra, key: "https://example.org/new"})
    edited = nm.dumps(doc)
    assert changed_lines(text, edited) == 2
    assert nm.loads(edited).item == doc.item


def test_bad_urls_and_naive_timestamps_in_new_keys_are_found() -> None:
    bad_audio = PODCAST.replace("https://cdn.example.com/episodes/12.mp3", "cdn.example.com/12.mp3")
    assert ("NM201", "$.audioUrl") in codes(bad_audio)
    naive = EVENT.replace("2021-10-12T09:00:00+02:00", "2021-10-12T09:00:00")
    assert ("NM503", "$.startDateTime") in codes(naive)
    nested = EVENT.replace("https://maps.example.com/messe-wien", "https://maps.example.com/a b")
    assert ("NM202", "$.venue.mapUrl") in codes(nested)
    quoted = BOOK.replace("2020-02-01T00:00:00Z", '"2020-02-01"')
    problems = nm.check_text(quoted, now=NOW)
    found = next(p for p in problems if p.code == "NM503")
    assert found.pointer == "$.publishedDateTime" and found.hint is not None
    dated = BOOK.replace("2020-02-01T00:00:00Z", "2020-02-01")
    assert "T00:00:00Z" in (next(p for p in nm.check_text(dated) if p.code == "NM503").hint or "")
    future = BOOK.replace("2020-02-01", "2031-02-01")
    assert ("NM501", "$.publishedDateTime") in codes(future)
    bad_domain_image = PODCAST.replace(
        "  domain: lowcoderadio.com\n",
        "  domain: lowcoderadio.com\n  images:\n    - url: /assets/logo.png\n      width: 0\n",
    )
    assert ("NM603", "$.provider.images[0].width") in codes(bad_domain_image)
    assert ("NM201", "$.provider.images[0].url") not in codes(bad_domain_image)
    assert ("NM607", "$.runDuration") in codes(
        EVENT.replace("type: event\n", "type: event\nrunDuration: three days\n")
    )


def test_every_domain_field_is_judged_and_named() -> None:
    text = PROFILE.replace("  domain: microsoft.com\n", "  domain: www.microsoft.com\n")
    found = [p for p in nm.check_text(text, now=NOW) if p.code == "NM404"]
    assert [(p.pointer, p.message, p.hint) for p in found] == [
        (
            "$.affiliation.domain",
            "affiliation.domain 'www.microsoft.com' is a sub-domain; expected the registrable "
            "domain 'microsoft.com'.",
            "domain: microsoft.com",
        )
    ]
    org = ORGANIZATION.replace("_id: amazon.com", "_id: Amazon.com")
    found = [p for p in nm.check_text(org, now=NOW) if p.code == "NM403"]
    assert [(p.pointer, p.message, p.hint) for p in found] == [
        ("$._id", "_id 'Amazon.com' is not lower-case.", "_id: amazon.com")
    ]
