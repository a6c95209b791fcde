"""HTML to plain text: the visible text of an article page, one line per block element."""

from __future__ import annotations

from html.parser import HTMLParser

# Suffixes of files read as HTML pages rather than plain text.
HTML_SUFFIXES = (".html", ".htm")


class HTMLText(HTMLParser):
    """Collects the visible text of an HTML page, with a line break around each block element."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
              "article", "header", "footer", "title", "td", "th", "pre", "hr", "figcaption", "dd", "dt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Strip tags, scripts and styles; block elements become paragraphs (one per line)."""
    parser = HTMLText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line) + "\n"
