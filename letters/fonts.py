"""Where the DejaVu fonts come from: the copies matplotlib ships, found through its data path.

One place for the PDF renderer (which embeds them) and the chart pictures (which draw with them),
so both use the same files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
         "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf"}


@cache
def font_folder() -> Path:
    import matplotlib  # only for its data path; nothing is drawn with it

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def font_file(name: str) -> str:
    """The path of a DejaVu font by its PostScript-style name, e.g. 'DejaVuSans-Bold'."""
    return str(font_folder() / FILES[name])
