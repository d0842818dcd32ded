"""The board packet: one print-ready PDF a board reads first (issue 11).

    select.py     which conferences (default: the latest completed and next upcoming edition per series)
    content.py    the figures, taken from the report layer (the same objects the HTML reports draw)
    figures.py    the charts, from the same builders as the HTML, as SVG (vl-convert), kept for the next
    typst_doc.py  the typst markup (every database text escaped by `typst_doc.lit`)
    render.py     typst -> PDF bytes, written atomically

    from conference_reports.packet import PacketOptions, write_packet
    result = write_packet(PacketOptions(out=Path("output/board-packet.pdf")))
"""

from .build import PacketOptions, PacketResult, write_packet

__all__ = ["PacketOptions", "PacketResult", "write_packet"]
