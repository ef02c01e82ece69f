from bot.content.render import escape_html, render_plain, render_telegram_html


def test_markdown_subset_becomes_telegram_html() -> None:
    html = render_telegram_html(
        "Go **today** to the *gemeente*.\n\n- passport\n- [form](https://example.org/a?b=1&c=2)"
    )
    assert html == (
        "Go <b>today</b> to the <i>gemeente</i>.\n\n"
        '• passport\n• <a href="https://example.org/a?b=1&amp;c=2">form</a>'
    )


def test_raw_html_and_unsafe_links_are_shown_as_text() -> None:
    html = render_telegram_html("<script>alert(1)</script> & [x](javascript:alert(1))")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "href" not in html


def test_plain_text_keeps_link_targets_readable() -> None:
    assert render_plain("See [DigiD](https://www.digid.nl) or call [112](tel:112).") == (
        "See DigiD (https://www.digid.nl) or call 112."
    )


def test_separate_lists_and_paragraphs_stay_apart() -> None:
    text = render_plain("Intro\n\n- a\n- b\n\n1. one\n2. two\n\nEnd")
    assert text == "Intro\n\n• a\n• b\n\n1. one\n2. two\n\nEnd"


def test_escape_html_for_plain_ui_strings() -> None:
    assert escape_html("<b>5 & 6</b>") == "&lt;b&gt;5 &amp; 6&lt;/b&gt;"
