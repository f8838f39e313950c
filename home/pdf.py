"""PDF documents drawn with reportlab in the standard fonts: the text helpers, the styles and the
page layout (metadata, footer) every document of the site shares (receipts, bulletins, the
register of processing, the demo statutes).

The standard Helvetica fonts use the WinAnsi encoding: it has the euro sign, French accents,
guillemets and typographic apostrophes, but not every character a name may hold, so all text
goes through `plain` first (the narrow no-break space becomes a no-break space; other missing
letters lose their accent, or become « ? »).

reportlab is imported only when a document is made: the modules that draw one (members/pdf.py,
awards/pdf.py, impact/own_report.py, privacy/register_exports.py) are imported by their callers
inside the function that needs them, so that the app servers' workers, which mostly serve
pages, do not each hold it (tests/home/test_production_settings.py).
"""

import io
import unicodedata
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

ACCENT = colors.HexColor("#1f5f4a")
LIGHT = colors.HexColor("#eef4f1")
GREY = colors.HexColor("#555555")
# Letters that Unicode does not decompose into a base letter and an accent.
_NO_DECOMPOSITION = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H"})


def encodable(value):
    """Text that the standard PDF fonts can show."""
    text = str(value or "").replace("\u202f", "\u00a0").replace("\u2009", " ")
    text = text.translate(_NO_DECOMPOSITION)
    kept = []
    for char in text:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode("cp1252")
                char = base or "?"
            except UnicodeEncodeError:
                char = "?"
        kept.append(char)
    return "".join(kept)


def plain(value):
    """Text for reportlab's paragraph markup: encodable, escaped, line breaks kept."""
    return escape(encodable(value)).replace("\n", "<br/>")


def styles():
    base = getSampleStyleSheet()
    return {
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=10, leading=14),
        "small": ParagraphStyle(
            "small", parent=base["Normal"], fontSize=8.5, leading=11, textColor=GREY
        ),
        "association": ParagraphStyle(
            "association",
            parent=base["Normal"],
            fontName="Helvetica-Bold",
            fontSize=14,
            leading=18,
            textColor=ACCENT,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName="Helvetica-Bold",
            fontSize=16,
            leading=20,
            spaceBefore=4 * mm,
            spaceAfter=1 * mm,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base["Normal"], fontSize=11, leading=15, alignment=1
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=4 * mm,
            spaceAfter=1 * mm,
        ),
        "label": ParagraphStyle(
            "label", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=10, leading=13
        ),
        "value": ParagraphStyle("value", parent=base["Normal"], fontSize=10, leading=13),
        "right": ParagraphStyle(
            "right", parent=base["Normal"], fontSize=10, leading=13, alignment=TA_RIGHT
        ),
    }


def build(story, *, title, subject, identity, wide=False):
    """The PDF bytes, with its metadata: title, author (the association), subject, language.
    `wide`: on a landscape page with narrower top and bottom margins, for a wide table (the
    award's ranking)."""
    buffer = io.BytesIO()
    if wide:
        pagesize, top, bottom, footer_line = landscape(A4), 15 * mm, 18 * mm, 10 * mm
    else:
        pagesize, top, bottom, footer_line = A4, 18 * mm, 22 * mm, 12 * mm

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(GREY)
        canvas.drawString(20 * mm, footer_line, encodable(f"{identity.name} — {title}"))
        canvas.drawRightString(
            pagesize[0] - 20 * mm, footer_line, _("Page %(number)s") % {"number": doc.page}
        )
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=identity.name,
        subject=subject,
        creator=identity.name,
        lang=settings.LANGUAGE_CODE,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
