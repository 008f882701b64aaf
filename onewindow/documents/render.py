"""A4 PDF layout of a legal document with reportlab, the CJK font embedded as a subset."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .content import TABLE_MARKER, DocumentContent, cn_date
from .fonts import register_font

RED = colors.HexColor("#C00000")
GREY = colors.HexColor("#555555")
MARGIN_X = 26 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN_X


class Signature(Flowable):
    """The issuer's name and the date, right-aligned, under a placeholder for the department's electronic seal
    (a dashed red circle labelled （电子印章）) that overlaps them as a real seal does."""

    def __init__(self, font: str, issuer: str, date_text: str, width: float = 72 * mm,
                 diameter: float = 42 * mm) -> None:
        super().__init__()
        self.font, self.issuer, self.date_text, self.diameter = font, issuer, date_text, diameter
        self.block_width = width
        self.width, self.height = width, diameter + 4 * mm

    def wrap(self, available_width, available_height):
        self.width = available_width  # take the whole line; the block sits at its right end
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        centre_x = self.width - self.block_width / 2
        r = self.diameter / 2
        centre_y = self.height / 2
        c.saveState()
        c.setFont(self.font, 12)
        c.setFillColor(colors.black)
        c.drawCentredString(centre_x, centre_y + 2 * mm, self.issuer)
        c.drawCentredString(centre_x, centre_y - 6 * mm, self.date_text)
        c.setStrokeColor(RED)
        c.setFillColor(RED)
        c.setLineWidth(1)
        c.setDash(3, 2)
        c.circle(centre_x, centre_y, r, stroke=1, fill=0)
        c.setFont(self.font, 9)
        c.drawCentredString(centre_x, centre_y + r - 9 * mm, "（电子印章）")
        c.restoreState()


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=12, leading=22, wordWrap="CJK", alignment=TA_LEFT)
    return {
        "issuer": ParagraphStyle("issuer", parent=base, fontSize=22, leading=30, alignment=TA_CENTER,
                                 textColor=RED),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER,
                                spaceBefore=4 * mm),
        "number": ParagraphStyle("number", parent=base, fontSize=11, leading=18, alignment=TA_CENTER,
                                 spaceAfter=3 * mm),
        "addressee": ParagraphStyle("addressee", parent=base, spaceBefore=3 * mm),
        "body": ParagraphStyle("paragraph", parent=base, firstLineIndent=24),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=15),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontSize=10.5, leading=15, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
        "fact": ParagraphStyle("fact", parent=base, fontSize=10.5, leading=15),
    }


def _facts(content: DocumentContent, st) -> Table:
    cells = [Paragraph(f"{escape(k)}：{escape(v)}", st["fact"]) for k, v in content.facts]
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[TEXT_WIDTH / 2] * 2)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),
        ("BOX", (0, 0), (-1, -1), 0.6, GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.3, GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _table(content: DocumentContent, st) -> Table:
    widths = [TEXT_WIDTH * w for w in (content.table_widths or [1 / len(content.table[0])] * len(content.table[0]))]
    rows = [[Paragraph(escape(c), st["cell_head"]) for c in content.table[0]]]
    rows += [[Paragraph(escape(c), st["cell"]) for c in row] for row in content.table[1:]]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _receipt(content: DocumentContent, st) -> Table:
    rows = []
    for label, value in content.receipt or []:
        value_cell = Paragraph(escape(value), st["cell"]) if value else ""
        if label == "受送达人签名或盖章":
            value_cell = Paragraph("<br/><br/><br/>" + "&nbsp;" * 50 + "年&nbsp;&nbsp;&nbsp;&nbsp;月"
                                   "&nbsp;&nbsp;&nbsp;&nbsp;日", st["cell"])
        rows.append([Paragraph(escape(label), st["cell_head"]), value_cell])
    table = Table(rows, colWidths=[TEXT_WIDTH * 0.26, TEXT_WIDTH * 0.74])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return table


def render_pdf(content: DocumentContent) -> bytes:
    """The document as PDF bytes (A4, CJK font subset embedded)."""
    font = register_font()
    st = _styles(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=22 * mm, bottomMargin=22 * mm,
        title=f"{content.title} {content.number}", author=content.issuer, subject=content.title,
        creator=f"OneWindow {getattr(settings, 'SITE_NAME', '')}".strip(), keywords=content.keywords,
        initialFontName=font, initialFontSize=12,
    )
    story: list = [
        Paragraph(escape(content.issuer), st["issuer"]),
        Spacer(1, 2 * mm),
        Table([[""]], colWidths=[TEXT_WIDTH], rowHeights=[1],
              style=TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.6, RED), ("FONTNAME", (0, 0), (-1, -1), font)])),
        Paragraph(escape(content.title), st["title"]),
        Paragraph(escape(content.number), st["number"]),
    ]
    if content.receipt is not None:
        story += [Paragraph(p, st["body"]) for p in content.paragraphs]
        story += [Spacer(1, 3 * mm), _receipt(content, st), Spacer(1, 8 * mm)]
    else:
        story += [_facts(content, st), Paragraph(f"{escape(content.addressee)}：", st["addressee"])]
        for paragraph in content.paragraphs:
            if paragraph == TABLE_MARKER and content.table:
                story += [Spacer(1, 2 * mm), _table(content, st), Spacer(1, 2 * mm)]
            elif paragraph != TABLE_MARKER:
                story.append(Paragraph(paragraph, st["body"]))
        story.append(Spacer(1, 6 * mm))
    story.append(Signature(font, content.issuer, cn_date(content.date)))

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, 12 * mm, f"文书编号：{content.number}")
        canvas.drawRightString(A4[0] - MARGIN_X, 12 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
