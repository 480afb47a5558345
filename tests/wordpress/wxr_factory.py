"""Build small WordPress WXR exports (as WordPress 6 writes them) for the import tests."""

import io
from pathlib import Path

from PIL import Image as PILImage

from tests.wordpress import seed

SITE = "https://old.example.kz"


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def item(
    post_id,
    title,
    content="",
    *,
    slug="",
    date="2024-05-14 10:30:00",
    status="publish",
    post_type="post",
    excerpt="",
    terms=(),
    meta=None,
    author="editor",
    attachment_url="",
    link=None,
):
    """One <item>. ``terms`` are (taxonomy, nicename, name) triples."""
    year, month = date[:4], date[5:7]
    if link is None:
        link = f"{SITE}/{year}/{month}/{slug}/" if slug else f"{SITE}/?p={post_id}"
    categories = "".join(
        f'<category domain="{taxonomy}" nicename="{nicename}">{cdata(name)}</category>'
        for taxonomy, nicename, name in terms
    )
    postmeta = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
        for key, value in (meta or {}).items()
    )
    attachment = f"<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>"
    return f"""
    <item>
      <title>{cdata(title)}</title>
      <link>{link}</link>
      <pubDate>Tue, 14 May 2024 05:30:00 +0000</pubDate>
      <dc:creator>{cdata(author)}</dc:creator>
      <guid isPermaLink="false">{SITE}/?p={post_id}</guid>
      <description></description>
      <content:encoded>{cdata(content)}</content:encoded>
      <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
      <wp:post_id>{post_id}</wp:post_id>
      <wp:post_date>{cdata(date)}</wp:post_date>
      <wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>
      <wp:comment_status>{cdata("open")}</wp:comment_status>
      <wp:post_name>{cdata(slug)}</wp:post_name>
      <wp:status>{cdata(status)}</wp:status>
      <wp:post_parent>0</wp:post_parent>
      <wp:post_type>{cdata(post_type)}</wp:post_type>
      {attachment if attachment_url else ""}
      {categories}
      {postmeta}
    </item>"""


def export(items, *, categories=(), tags=()):
    """A whole WXR document around ``items``."""
    declared = "".join(
        f"<wp:category><wp:term_id>{n}</wp:term_id>"
        f"<wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata('')}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        for n, (nicename, name) in enumerate(categories, start=1)
    ) + "".join(
        f"<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
        for n, (slug, name) in enumerate(tags, start=100)
    )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Алматы облысы</title>
  <link>{SITE}</link>
  <description>Ресми сайт</description>
  <language>kk</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{SITE}</wp:base_site_url>
  <wp:base_blog_url>{SITE}</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata("editor")}</wp:author_login>
    <wp:author_email>{cdata("editor@old.example.kz")}</wp:author_email>
    <wp:author_display_name>{cdata("Баспасөз қызметі")}</wp:author_display_name>
    <wp:author_first_name>{cdata("")}</wp:author_first_name>
    <wp:author_last_name>{cdata("")}</wp:author_last_name></wp:author>
  {declared}
  {"".join(items)}
</channel>
</rss>
"""


def png_bytes(color=(200, 40, 40), size=(64, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


# --- The newsroom export used by most tests -----------------------------------------------

MEETING_KK = "Елші мен әкім кездесті"
MEETING_RU = "Посол и аким встретились"
MEETING_EN = "The ambassador met the akim"

MEETING_BODY = {
    "kk": (
        "Алматы облысының әкімі Марат Сұлтанғазиев Жапония елшісін қабылдады.\n\n"
        "<blockquote>Біз бірге жұмыс істейміз."
        "<cite>Джун Ямада, Жапонияның Қазақстандағы Елшісі</cite></blockquote>\n\n"
        "<h2>Келесі қадамдар</h2>\n\n"
        "Тараптар <strong>келісімге</strong> қол қойды."
    ),
    "ru": (
        "Аким Алматинской области Марат Султангазиев принял посла Японии.\n\n"
        "<blockquote>Мы будем работать вместе."
        "<cite>Джун Ямада, Посол Японии в Казахстане</cite></blockquote>\n\n"
        "<h2>Следующие шаги</h2>\n\n"
        "Стороны <strong>подписали</strong> соглашение."
    ),
    "en": (
        "Akim of Almaty region Marat Sultangaziyev received the ambassador of Japan.\n\n"
        "<blockquote>We will work together."
        "<cite>Jun Yamada, Ambassador of Japan to Kazakhstan</cite></blockquote>\n\n"
        "<h2>Next steps</h2>\n\n"
        "The sides <strong>signed</strong> an agreement."
    ),
}

FARM_TITLE = {"kk": "Ауыл шаруашылығы өнімдері", "ru": "Сельхозпродукция", "en": "Farm produce"}
FARM_BODY = {
    "kk": (
        "<p>Облыс ауылшаруашылық өнімі бойынша екінші орында.</p>\n"
        "<blockquote><p>Біз жапондық нарыққа шығуды қалаймыз.</p></blockquote>\n"
        "<p>— деді Марат Сұлтанғазиев</p>\n"
        '<p><img src="https://old.example.kz/wp-content/uploads/2024/05/field-300x200.png" '
        'alt="Егістік" /></p>'
    ),
    "ru": (
        "<p>Область на втором месте по сельхозпродукции.</p>\n"
        "<p>Экспорт растёт третий год подряд.</p>\n"
        "<blockquote><p>Мы хотим выйти на японский рынок.</p></blockquote>\n"
        "<p>– Марат Султангазиев, аким Алматинской области</p>"
    ),
    "en": (
        "<p>The region is second in farm produce.</p>\n"
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560"></iframe>\n'
        "<blockquote><p>We want to enter the Japanese market.</p></blockquote>"
    ),
}


def seed_body():
    """The seed page's body as WordPress stores it: no <p>, &nbsp; spacer paragraphs."""
    return "\n\n&nbsp;\n\n".join(seed.PARAGRAPHS)


def newsroom_items(*, meeting_suffix=""):
    """Posts: two in three languages (different qTranslate-X forms), the Kazakh-only seed
    page, a draft, a WordPress page, a featured image attachment."""
    meeting_title = f"[:kk]{MEETING_KK}{meeting_suffix}[:ru]{MEETING_RU}[:en]{MEETING_EN}[:]"
    meeting_content = "".join(f"[:{code}]{MEETING_BODY[code]}" for code in ("kk", "ru", "en"))
    meeting_content = meeting_content.replace("Тараптар", f"Тараптар{meeting_suffix}") + "[:]"
    farm_title = "".join(f"{{:{code}}}{FARM_TITLE[code]}{{:}}" for code in ("kk", "ru", "en"))
    farm_content = "".join(
        f"<!--:{code}-->{FARM_BODY[code]}<!--:-->" for code in ("kk", "ru", "en")
    )
    return [
        item(
            900,
            "[:kk]Кездесу суреті[:ru]Фото встречи[:]",
            post_type="attachment",
            slug="meeting-photo",
            status="inherit",
            excerpt="[:kk]Кездесу сәті[:ru]Момент встречи[:]",
            attachment_url=f"{SITE}/wp-content/uploads/2024/05/meeting.png",
            meta={"_wp_attached_file": "2024/05/meeting.png"},
        ),
        item(
            101,
            meeting_title,
            meeting_content,
            slug="elshi-men-akim-kezdesti",
            excerpt="[:kk]Қысқаша[:ru]Кратко[:en]In short[:]",
            terms=[("category", "ekonomika", "Экономика"), ("post_tag", "japonia", "Жапония")],
            meta={"_thumbnail_id": "900"},
        ),
        item(
            102,
            farm_title,
            farm_content,
            slug="auyl-sharuashylygy",
            date="2024-06-02 09:00:00",
            terms=[("category", "ekonomika", "Экономика")],
        ),
        item(
            103,
            f"[:kk]{seed.TITLE}[:ru][:en][:]",
            f"[:kk]{seed_body()}[:ru][:en][:]",
            slug="bailanystar-men-perspektivalardy-nygaitu",
            date="2024-04-20 12:00:00",
            terms=[("category", "ekonomika", "Экономика")],
        ),
        item(104, "Жоба", "Әлі дайын емес мәтін.", slug="zhoba", status="draft"),
        item(105, "Біз туралы", "Байланыс мәліметтері.", slug="biz-turaly", post_type="page"),
    ]


NEWSROOM_CATEGORIES = [("ekonomika", "[:kk]Экономика[:ru]Экономика[:en]Economy[:]")]
NEWSROOM_TAGS = [("japonia", "Жапония")]


def write_newsroom(tmp_path, *, meeting_suffix="", extra_items=()):
    """Write the export and an uploads folder; return (export path, uploads path)."""
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "05").mkdir(parents=True, exist_ok=True)
    (uploads / "2024" / "05" / "meeting.png").write_bytes(png_bytes((20, 90, 160)))
    (uploads / "2024" / "05" / "field.png").write_bytes(png_bytes((40, 160, 40)))
    path = Path(tmp_path) / "export.xml"
    items = newsroom_items(meeting_suffix=meeting_suffix) + list(extra_items)
    path.write_text(
        export(items, categories=NEWSROOM_CATEGORIES, tags=NEWSROOM_TAGS), encoding="utf-8"
    )
    return path, uploads
