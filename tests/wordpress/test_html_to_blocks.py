"""WordPress post HTML -> news body blocks, quotes above all."""

from news.ingest.wordpress.html_to_blocks import convert, parse_attribution
from tests.wordpress import seed, wxr_factory


class Embeds:
    """Accepts the URLs wagtail's oEmbed providers would; knows no images."""

    def image(self, url):
        return None, f"no image {url}"

    def accepts_embed(self, url):
        return "youtube.com" in url or "youtu.be" in url


def quotes(conversion):
    return [
        {key: block["value"][key] for key in ("text", "attribution", "role")}
        for block in conversion.blocks
        if block["type"] == "quote"
    ]


def test_seed_page_gives_its_three_quotes_with_speakers_and_roles():
    result = convert(wxr_factory.seed_body())
    assert result.quotes == 3
    assert quotes(result) == seed.QUOTES
    types = [block["type"] for block in result.blocks]
    assert types == [
        "paragraph",
        "quote",
        "paragraph",
        "quote",
        "paragraph",
        "paragraph",
        "quote",
        "paragraph",  # the words after the third quote stay in the article
        "paragraph",
        "paragraph",
    ]
    # The inline «…» quotation of the first paragraph stays a paragraph.
    assert result.blocks[0]["value"].startswith("<p>Жапонияның Қазақстандағы Елшісі")
    assert "деп сөз бастады" in result.blocks[0]["value"]
    assert result.blocks[7]["value"].startswith("<p>Джун Ямада бұл бастаманы")


def test_blockquote_with_cite():
    result = convert(
        "<blockquote><p>«Біз бірге жұмыс істейміз»</p>"
        "<cite>Джун Ямада, Жапонияның Қазақстандағы Елшісі</cite></blockquote>"
    )
    assert quotes(result) == [
        {
            "text": "Біз бірге жұмыс істейміз",
            "attribution": "Джун Ямада",
            "role": "Жапонияның Қазақстандағы Елшісі",
        }
    ]


def test_blockquote_without_cite_takes_the_attribution_line_after_it():
    result = convert(
        "<p>Алматы облысының әкімі Марат Сұлтанғазиев сөз сөйледі.</p>"
        "<blockquote>Біз жапондық нарыққа шығуды қалаймыз.</blockquote>\n"
        "<p>— деді Марат Сұлтанғазиев</p>"
    )
    assert quotes(result) == [
        {
            "text": "Біз жапондық нарыққа шығуды қалаймыз.",
            "attribution": "Марат Сұлтанғазиев",
            "role": "Алматы облысының әкімі",  # from the first mention in the text
        }
    ]
    assert len(result.blocks) == 2  # the attribution line is not left as a paragraph


def test_attribution_inside_the_blockquote_name_and_role():
    result = convert(
        "<blockquote><p>Мы хотим выйти на японский рынок.</p>"
        "<p>– Марат Султангазиев, аким Алматинской области</p></blockquote>"
    )
    assert quotes(result) == [
        {
            "text": "Мы хотим выйти на японский рынок.",
            "attribution": "Марат Султангазиев",
            "role": "аким Алматинской области",
        }
    ]


def test_blockquote_without_any_speaker_stays_a_quote():
    result = convert("<blockquote>Білім — қуат.</blockquote><p>Келесі абзац.</p>")
    assert quotes(result) == [{"text": "Білім — қуат.", "attribution": "", "role": ""}]
    assert result.blocks[1] == {"type": "paragraph", "value": "<p>Келесі абзац.</p>"}


def test_paragraphs_headings_lists_and_inline_markup():
    result = convert(
        "Бірінші жол\nсол абзацта.\n\n<h3>Тақырып</h3>\n\n"
        "<strong>Қалың</strong> <em>көлбеу</em> "
        '<a href="https://gov.kz/x" onclick="x()">сілтеме</a>'
        '<span style="color:red">.</span>\n\n<ul><li>бір</li><li>екі</li></ul>'
        "<script>alert(1)</script>"
    )
    assert result.blocks == [
        {"type": "paragraph", "value": "<p>Бірінші жол<br/>сол абзацта.</p>"},
        {"type": "heading", "value": {"text": "Тақырып", "level": "h3"}},
        {
            "type": "paragraph",
            "value": '<p><b>Қалың</b> <i>көлбеу</i> <a href="https://gov.kz/x">сілтеме</a>.</p>',
        },
        {"type": "paragraph", "value": "<ul><li>бір</li><li>екі</li></ul>"},
    ]
    assert result.warnings == ["<script> element removed"]


def test_embeds_from_iframes_and_urls_on_their_own_line():
    result = convert(
        '<iframe src="https://www.youtube.com/embed/abc123"></iframe>\n\n'
        "https://youtu.be/xyz\n\n"
        "See https://youtu.be/xyz in the text.",
        Embeds(),
    )
    assert result.blocks[:2] == [
        {"type": "embed", "value": "https://www.youtube.com/watch?v=abc123"},
        {"type": "embed", "value": "https://youtu.be/xyz"},
    ]
    assert result.blocks[2]["type"] == "paragraph"
    assert result.embeds == 2


def test_missing_image_is_a_warning_not_a_block():
    result = convert('<p><img src="https://x.kz/wp-content/uploads/a.png"></p>', Embeds())
    assert result.blocks == []
    assert result.warnings == ["no image https://x.kz/wp-content/uploads/a.png"]


def test_parse_attribution_forms():
    assert parse_attribution("— деді Марат Сұлтанғазиев") == ("Марат Сұлтанғазиев", "")
    assert parse_attribution("Jun Yamada, Ambassador of Japan") == (
        "Jun Yamada",
        "Ambassador of Japan",
    )
    assert parse_attribution("«Егемен Қазақстан»") == ("«Егемен Қазақстан»", "")


def test_reported_speech_in_russian_and_english():
    result = convert(
        "— Мы готовы к сотрудничеству, — сказал аким области Марат Султангазиев.\n\n"
        "“We are ready to help,” said Jun Yamada, Ambassador of Japan.\n\n"
        "— Это важный шаг, — отметил он."
    )
    assert quotes(result) == [
        {
            "text": "Мы готовы к сотрудничеству",
            "attribution": "Марат Султангазиев",
            "role": "аким области",
        },
        {
            "text": "We are ready to help",
            "attribution": "Jun Yamada",
            "role": "Ambassador of Japan",
        },
        # "он": the speaker named last before it.
        {"text": "Это важный шаг", "attribution": "Jun Yamada", "role": "Ambassador of Japan"},
    ]


def test_quotation_marks_that_are_names_do_not_make_quotes():
    text = "«ҚТЖ» компаниясының басшысы: «Біз дайынбыз» деді."
    result = convert(text)
    assert result.quotes == 0
    assert result.blocks == [{"type": "paragraph", "value": f"<p>{text}</p>"}]
