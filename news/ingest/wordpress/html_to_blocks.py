"""Turn the HTML of a WordPress post into the blocks of ``news.blocks.NewsBodyBlock``.

WordPress stores post bodies without ``<p>`` tags (``wpautop`` adds them when the
page is shown), with ``[caption]`` shortcodes and bare oEmbed URLs. This module
reads that HTML as WordPress would show it and produces raw StreamField data:

* paragraphs and lists -> ``paragraph`` (rich text limited to the block's features),
* ``<h1>``–``<h6>`` -> ``heading``,
* ``<img>``/``<figure>``/``[caption]`` -> ``image`` (files come from the uploads
  folder through a resolver; nothing is fetched over the network),
* ``<iframe>`` and oEmbed URLs on their own line -> ``embed``,
* ``<blockquote>`` -> ``quote``, with the speaker and role from ``<cite>`` or from an
  attribution line (``— деді Марат Сұлтанғазиев``, ``– Name, Role``), and reported
  speech paragraphs (``– …, — деді Джун Ямада.``) -> ``quote`` as well.

Speakers named without a role get the role the article gives them at first
mention (``Алматы облысының әкімі Марат Сұлтанғазиевпен`` ->
``Алматы облысының әкімі``); a speech that names nobody (``— деді.``) is given
to the speaker the text mentioned last.
"""

import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs, urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.utils.translation import gettext as _

BLOCK_CONTAINERS = {"p", "div", "section", "article", "center", "main", "header", "footer"}
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
LISTS = {"ul", "ol"}
DROPPED = {"script", "style", "noscript", "form", "input", "button", "select", "textarea"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
INLINE_MAP = {"b": "b", "strong": "b", "i": "i", "em": "i"}

_BLANK_LINE = re.compile(r"\n[ \t\r\xa0]*\n")
_SPACES = re.compile(r"[ \t\r\n\xa0]+")
_URL_ONLY = re.compile(r"^https?://\S+$")

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_NAME = rf"(?:[{_UPPER}]\.\s*|[{_UPPER}][\w’'-]+\s*){{1,4}}"
_DASH = r"[–—−-]{1,2}"
_SPEECH_VERB = (
    r"(?:деді|дейді|деп(?:\s+[^\s.,]+){0,2}?\s+[^\s.,]*(?:ды|ді|ты|ті|ды|ді|йді|йды)"
    r"|(?:сказал|отметил|заявил|подчеркнул|добавил|пояснил|сообщил|рассказал|резюмировал"
    r"|констатировал|заключил|уточнил|признался|признал)а?|считает|говорит|уверен[а]?"
    r"|said|says|noted|added|stated|explained|told|stressed)"
)
_PRONOUN = r"(?:ол|он|она|he|she)"
_LOWER_WORD = r"[a-zа-яёәғқңөұүһі][\w-]*"


def _tail(dash):
    """The end of a reported-speech paragraph: ``, — деді [role] Name[, role]. [rest]``."""
    return (
        rf"[,.!?…]*\s*{dash}\s*(?P<verb>{_SPEECH_VERB})\b\s*(?:{_PRONOUN}\b\s*)?"
        rf"(?:(?P<prerole>(?:{_LOWER_WORD}\s+){{1,5}}?)(?=[{_UPPER}]))?(?P<name>{_NAME})?"
        r"(?:,\s*(?P<role>[^.!?]+))?\s*[.!]?\s*(?P<rest>.*)$"
    )


SPEECH_DASH = re.compile(rf"^{_DASH}\s*(?P<q>.+?){_tail(_DASH)}", re.S)
# “We are ready,” said John Smith: after quotation marks the dash is optional.
SPEECH_MARKS = re.compile(rf"^[«“„\"](?P<q>[^«»“”\"]+)[»”\"]{_tail(f'(?:{_DASH})?')}", re.S)
ATTRIBUTION_LINE = re.compile(
    rf"^{_DASH}\s*(?:(?P<verb>{_SPEECH_VERB})\s+)?(?P<name>{_NAME})"
    rf"(?:\s*(?:,|{_DASH})\s*(?P<role>[^.]+?))?\s*\.?$",
    re.S,
)

# First words of a job title, lowercased (kk, ru, en). A role is only taken from the
# text when one of its words starts with one of these.
ROLE_STEMS = (
    "елші", "әкім", "министр", "вице-", "төраға", "басшы", "директор", "депутат", "президент",
    "премьер", "орынбасар", "бастығ", "бастық", "хатшы", "жетекші", "өкіл", "ректор",
    "сенатор", "спикер", "консул", "губернатор", "мэр", "сарапшы", "профессор", "кеңесші",
    "посол", "аким", "председател", "глав", "руководител", "заместител", "начальник",
    "секретар", "представител", "эксперт", "советник", "управляющ",
    "ambassador", "mayor", "minister", "chair", "head", "director", "deputy", "governor",
    "secretary", "spokes", "ceo", "akim", "senator", "professor", "adviser", "advisor",
    "manager", "expert",
)  # fmt: skip


@dataclass
class Conversion:
    """The blocks of one body in one language, with what was found on the way."""

    blocks: list = field(default_factory=list)  # raw StreamField data: {"type", "value"}
    quotes: int = 0
    images: int = 0
    embeds: int = 0
    warnings: list = field(default_factory=list)


class NoMedia:
    """A resolver that knows no images and accepts no embeds (used for plain text)."""

    def image(self, url):
        return None, _("image %(url)s not imported (no uploads folder given)") % {"url": url}

    def accepts_embed(self, url):
        return False


def text_of(node):
    """Plain text of ``node`` with whitespace collapsed."""
    if isinstance(node, NavigableString):
        raw = str(node)
    else:
        raw = node.get_text(" ")
    return _SPACES.sub(" ", raw).strip()


def _clean_text(text):
    return _SPACES.sub(" ", text or "").strip()


def _inline_html(nodes):
    """Rich text HTML (``b``, ``i``, ``a href``, ``br``) for a run of inline nodes."""
    out = []
    for node in nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            # As wpautop: a single line break inside a paragraph is a <br>.
            lines = [_SPACES.sub(" ", line) for line in str(node).split("\n")]
            out.append("<br/>".join(escape(line, quote=False) for line in lines))
            continue
        if not isinstance(node, Tag) or node.name in DROPPED:
            continue
        if node.name == "br":
            out.append("<br/>")
        elif node.name in INLINE_MAP:
            inner = _inline_html(node.contents)
            if inner.strip():
                tag = INLINE_MAP[node.name]
                out.append(f"<{tag}>{inner}</{tag}>")
        elif node.name == "a" and node.get("href", "").startswith(
            ("http://", "https://", "mailto:")
        ):
            inner = _inline_html(node.contents)
            if inner.strip():
                out.append(f'<a href="{escape(node["href"])}">{inner}</a>')
        else:
            out.append(_inline_html(node.contents))
    return "".join(out)


def _trim_html(html):
    html = re.sub(r"^(?:\s|<br/>)+", "", html)
    return re.sub(r"(?:\s|<br/>)+$", "", html)


def _list_html(tag):
    name = "ol" if tag.name == "ol" else "ul"
    items = [_trim_html(_inline_html(li.contents)) for li in tag.find_all("li", recursive=False)]
    items = [item for item in items if item]
    if not items:
        return ""
    return f"<{name}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{name}>"


def _preprocess(html):
    """WordPress shortcodes -> HTML the parser understands."""

    def caption(match):
        inner = match.group(1)
        soup = BeautifulSoup(inner, "html.parser")
        media = soup.find("img")
        text = ""
        if media is not None:
            holder = media.parent if media.parent and media.parent.name == "a" else media
            holder.extract()
            text = escape(text_of(soup))
            return f"<figure>{holder}<figcaption>{text}</figcaption></figure>"
        return inner

    html = re.sub(r"\[caption[^\]]*\](.*?)\[/caption\]", caption, html, flags=re.S | re.I)
    html = re.sub(r"\[embed[^\]]*\]\s*(\S+?)\s*\[/embed\]", r"\n\n\1\n\n", html, flags=re.I)
    return html


def _segments(container):
    """Split a container's children into ("para", [inline nodes]) and ("block", tag) runs.

    Like ``wpautop``: a blank line in text ends a paragraph; block elements stand alone.
    """
    current = []
    for node in list(container.children):
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            pieces = _BLANK_LINE.split(str(node))
            for position, piece in enumerate(pieces):
                if position:
                    if current:
                        yield ("para", current)
                    current = []
                if piece:
                    current.append(NavigableString(piece))
            continue
        if not isinstance(node, Tag):
            continue
        is_block = (
            node.name in BLOCK_CONTAINERS
            or node.name in HEADINGS
            or node.name in LISTS
            or node.name
            in {"blockquote", "figure", "iframe", "img", "table", "pre", "hr", "video", "audio"}
            or node.name in DROPPED
            or (node.name == "a" and node.find("img") is not None and not text_of(node))
        )
        if is_block:
            if current:
                yield ("para", current)
            current = []
            yield ("block", node)
        else:
            current.append(node)
    if current:
        yield ("para", current)


def _embed_url(src):
    """A watch URL for common player iframes, else the iframe's own URL."""
    if src.startswith("//"):
        src = "https:" + src
    parsed = urlparse(src)
    host = parsed.netloc.lower()
    if "youtube" in host and parsed.path.startswith("/embed/"):
        video = parsed.path.split("/")[2]
        return f"https://www.youtube.com/watch?v={video}" if video else src
    if host == "player.vimeo.com" and parsed.path.startswith("/video/"):
        return f"https://vimeo.com/{parsed.path.split('/')[2]}"
    if "facebook.com" in host and parsed.path.startswith("/plugins/"):
        return parse_qs(parsed.query).get("href", [src])[0]
    return src


def _strip_marks(text):
    text = _clean_text(text)
    text = re.sub(rf"^{_DASH}\s*", "", text)
    pairs = {"«": "»", "“": "”", '"': '"', "„": "“"}
    if len(text) > 1 and text[0] in pairs and text[-1] == pairs[text[0]]:
        text = text[1:-1].strip()
    return text.rstrip(",").strip()


def parse_attribution(text):
    """``(speaker, role)`` from a ``<cite>`` or an attribution line; ("", "") if none."""
    text = _clean_text(text)
    if not text:
        return "", ""
    match = ATTRIBUTION_LINE.match(text if re.match(_DASH, text) else f"— {text}")
    if match:
        return _clean_text(match.group("name")), _clean_text(match.group("role") or "")
    # A cite that is not a name (a publication, a free text): keep it as the speaker.
    text = re.sub(rf"^{_DASH}\s*", "", text)
    parts = re.split(r",|\s[–—]\s", text, maxsplit=1)
    return parts[0].strip(), (parts[1] if len(parts) > 1 else "").strip(" ,–—")


def _attribution_line(text):
    text = _clean_text(text)
    if not text or len(text) > 200:
        return None
    match = ATTRIBUTION_LINE.match(text)
    if not match:
        return None
    return _clean_text(match.group("name")), _clean_text(match.group("role") or "")


def _speech(text):
    """A reported-speech paragraph -> (quote, speaker, role, rest), or None."""
    text = _clean_text(text)
    match = SPEECH_DASH.match(text) or SPEECH_MARKS.match(text)
    if not match:
        return None
    quote = _strip_marks(match.group("q"))
    if len(quote) < 10:
        return None
    name = _clean_text(match.group("name") or "")
    role = _clean_text(match.group("role") or "")
    if name and not role:
        role = _clean_text(match.group("prerole") or "")
    elif not name and match.group("prerole"):
        return None  # lowercase words after the verb but no name: not an attribution
    return quote, name, role, _clean_text(match.group("rest") or "")


class _Builder:
    def __init__(self, media):
        self.media = media
        self.result = Conversion()
        # (block index, plain text) of every paragraph, to find speakers and roles.
        self.texts = []

    # -- output -----------------------------------------------------------------
    def add(self, block_type, value, text=""):
        self.result.blocks.append({"type": block_type, "value": value})
        self.texts.append((len(self.result.blocks) - 1, text))

    def add_quote(self, text, speaker="", role="", unnamed=False):
        # The block's CharBlocks hold 255 characters: longer "speakers" are not names.
        value = {"text": text, "attribution": speaker[:255], "role": role[:255], "source_url": ""}
        self.result.blocks.append({"type": "quote", "value": value, "unnamed": unnamed})
        self.texts.append((len(self.result.blocks) - 1, text))
        self.result.quotes += 1

    def add_paragraph_html(self, html):
        html = _trim_html(html)
        text = _clean_text(re.sub(r"<[^>]+>", " ", html))
        if not text:
            return
        self.add("paragraph", f"<p>{html}</p>", text)

    def add_image(self, url, caption=""):
        if not url:
            return
        image, problem = self.media.image(url)
        if problem:
            self.result.warnings.append(problem)
        if image is None:
            return
        self.result.images += 1
        self.add("image", {"image": image.pk, "caption": caption[:500], "credit": ""})

    def add_embed(self, url):
        self.result.embeds += 1
        self.add("embed", url)

    # -- input ------------------------------------------------------------------
    def walk(self, container):
        pending_quote = None  # a quote still looking for its attribution line
        for kind, item in _segments(container):
            if kind == "para":
                text = _clean_text("".join(text_of(n) for n in item))
            elif item.name == "p" and item.find(["img", "iframe"]) is None:
                text = text_of(item)
            else:
                text = None
            if text == "":
                continue  # whitespace between blocks, &nbsp; spacer paragraphs
            if pending_quote is not None and text is not None:
                # The line after a quote without <cite> may name the speaker.
                found = _attribution_line(text)
                pending_quote = None
                if found:
                    self._set_attribution(len(self.result.blocks) - 1, *found)
                    continue
            pending_quote = None
            if kind == "para":
                self.paragraph(item, text)
            elif self.block(item) == "quote-without-speaker":
                pending_quote = len(self.result.blocks) - 1

    def _set_attribution(self, index, speaker, role):
        value = self.result.blocks[index]["value"]
        value["attribution"] = speaker
        value["role"] = role
        self.result.blocks[index]["unnamed"] = False

    def paragraph(self, nodes, text):
        if not text:
            return
        if _URL_ONLY.match(text) and self.media.accepts_embed(text):
            self.add_embed(text)
            return
        speech = _speech(text)
        if speech:
            quote, speaker, role, rest = speech
            self.add_quote(quote, speaker, role, unnamed=not speaker)
            if rest:
                self.add("paragraph", f"<p>{escape(rest, quote=False)}</p>", rest)
            return
        self.add_paragraph_html(_inline_html(nodes))

    def block(self, tag):
        name = tag.name
        if name in BLOCK_CONTAINERS:
            self.walk(tag)
        elif name in HEADINGS:
            text = text_of(tag)
            if text:
                self.add("heading", {"text": text[:255], "level": HEADINGS[name]}, text)
        elif name in LISTS:
            html = _list_html(tag)
            if html:
                self.add("paragraph", html, text_of(tag))
        elif name == "blockquote":
            return self.blockquote(tag)
        elif name == "figure":
            self.figure(tag)
        elif name == "img":
            self.add_image(tag.get("src", ""))
        elif name == "a":
            img = tag.find("img")
            self.add_image(img.get("src", "") if img else "")
        elif name == "iframe":
            src = tag.get("src", "")
            if src:
                self.add_embed(_embed_url(src))
        elif name in {"video", "audio"}:
            self.result.warnings.append(
                _("<%(name)s> element left out (no file to import)") % {"name": name}
            )
        elif name in {"table", "pre"}:
            self.walk_text(tag)
        elif name in DROPPED:
            self.result.warnings.append(_("<%(name)s> element removed") % {"name": name})
        return None

    def walk_text(self, tag):
        for line in tag.get_text("\n").split("\n"):
            line = _clean_text(line)
            if line:
                self.add("paragraph", f"<p>{escape(line, quote=False)}</p>", line)

    def figure(self, tag):
        caption_tag = tag.find("figcaption")
        caption = text_of(caption_tag) if caption_tag else ""
        if caption_tag:
            caption_tag.extract()
        iframe = tag.find("iframe")
        img = tag.find("img")
        if iframe is not None and iframe.get("src"):
            self.add_embed(_embed_url(iframe["src"]))
        elif img is not None:
            self.add_image(img.get("src", ""), caption)
        else:
            url = text_of(tag)
            if _URL_ONLY.match(url) and self.media.accepts_embed(url):
                self.add_embed(url)
            elif url:
                self.add_paragraph_html(escape(url, quote=False))

    def blockquote(self, tag):
        # Embedded tweets and posts are blockquotes with a link: keep them as embeds.
        classes = " ".join(tag.get("class", []))
        if "twitter-tweet" in classes or "instagram-media" in classes:
            links = [a["href"] for a in tag.find_all("a", href=True)]
            url = next((link for link in reversed(links) if self.media.accepts_embed(link)), None)
            if url:
                self.add_embed(url)
                return None
        speaker = role = ""
        cite = tag.find(["cite", "footer"])
        if cite is not None:
            speaker, role = parse_attribution(text_of(cite))
            cite.extract()
        lines = []
        for kind, item in _segments(tag):
            if kind == "para":
                line = _clean_text("".join(text_of(n) for n in item))
            else:
                line = text_of(item)
            if line:
                lines.append(line)
        if not speaker and len(lines) > 1:
            found = _attribution_line(lines[-1])
            if found:
                speaker, role = found
                lines.pop()
        if not speaker and len(lines) == 1:
            speech = _speech(lines[0])
            if speech:
                lines[0], speaker, role, rest = speech
                if rest:
                    lines.append(rest)
        text = _strip_marks("\n".join(lines)) if len(lines) == 1 else "\n".join(lines)
        if not text:
            return None
        self.add_quote(text, speaker, role)
        return None if speaker else "quote-without-speaker"

    # -- speakers and roles -------------------------------------------------------
    def finish(self):
        blocks = self.result.blocks
        speakers = []
        for block in blocks:
            if block["type"] == "quote" and block["value"]["attribution"]:
                name = block["value"]["attribution"]
                if name not in speakers and _looks_like_name(name):
                    speakers.append(name)
        paragraphs = [
            (index, text) for index, text in self.texts if blocks[index]["type"] == "paragraph"
        ]
        full_text = "\n".join(text for _index, text in paragraphs)
        # A role given once (in a <cite> or an attribution) holds for the whole article.
        roles = {}
        for block in blocks:
            if block["type"] == "quote" and block["value"]["role"]:
                roles.setdefault(block["value"]["attribution"], block["value"]["role"])
        for name in speakers:
            if not roles.get(name):
                roles[name] = role_in_text(name, full_text)
        for position, block in enumerate(blocks):
            if block["type"] != "quote":
                continue
            value = block["value"]
            if block.pop("unnamed", False) and not value["attribution"]:
                # "— деді." / "— отметил он.": the person the text named last, in a
                # paragraph or as the speaker of an earlier quote.
                mentions = [
                    text if blocks[index]["type"] == "paragraph" else blocks[index]["value"]
                    for index, text in self.texts
                    if index < position and blocks[index]["type"] in {"paragraph", "quote"}
                ]
                before = "\n".join(
                    mention if isinstance(mention, str) else mention["attribution"]
                    for mention in mentions
                )
                value["attribution"] = last_mentioned(speakers, before)
            if value["attribution"] and not value["role"]:
                value["role"] = roles.get(value["attribution"]) or role_in_text(
                    value["attribution"], full_text
                )
        return self.result


def _looks_like_name(text):
    return bool(re.fullmatch(_NAME, text + " ")) and len(text) <= 80


def _name_pattern(name, surname_only=False):
    """A regex for ``name`` that tolerates Kazakh/Russian case endings on the surname."""
    words = name.split()
    if surname_only:
        words = words[-1:]
    parts = [re.escape(word) for word in words]
    parts[-1] += r"[\w’'-]*"
    return re.compile(r"(?<![\w])" + r"\s+".join(parts))


def role_in_text(name, text):
    """The job title ``text`` gives ``name`` at first mention, or ""."""
    match = _name_pattern(name).search(text)
    if not match:
        return ""
    before = text[: match.start()]
    clause = re.split(r"[,;:.!?«»()\"“”\n]|\s[–—-]\s", before)[-1]
    words = clause.split()[-6:]
    if words and any(word.lower().startswith(ROLE_STEMS) for word in words):
        return " ".join(words)
    after = text[match.end() :]
    if after.startswith(","):
        clause = re.split(r"[,;:.!?«»()\"“”\n]", after[1:])[0].strip()
        words = clause.split()
        if 0 < len(words) <= 8 and any(word.lower().startswith(ROLE_STEMS) for word in words):
            return clause
    return ""


def last_mentioned(speakers, text):
    """The speaker whose name (or surname) occurs last in ``text``, or ""."""
    best, best_position = "", -1
    for name in speakers:
        for pattern in (_name_pattern(name), _name_pattern(name, surname_only=True)):
            for match in pattern.finditer(text):
                if match.start() > best_position:
                    best, best_position = name, match.start()
    return best


def convert(html, media=None):
    """Convert WordPress post HTML into a :class:`Conversion`."""
    builder = _Builder(media or NoMedia())
    soup = BeautifulSoup(_preprocess(html or ""), "html.parser")
    builder.walk(soup)
    return builder.finish()
