"""The names a jingle's ``soundfont`` option may take (a light module: option validation uses it
without loading the synthesiser).

A SoundFont is chosen by *name*, never by path: the file is read whole and parsed by native
code, so a tenant must not be able to point it at ``/etc/passwd`` or the database file.
"""

from __future__ import annotations

import re

BUNDLED_NAME = "TimGM6mb"
FLUID_NAME = "FluidR3_GM"  # Debian's fluid-soundfont-gm, the default where installed
# A file stem: letters, digits, space, _ + -; no separators, no dots, so no "..".
SOUNDFONT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _+-]{0,99}$")


def soundfont_name(option: str) -> str | None:
    """The plain name an option value stands for (``FluidR3_GM`` or ``FluidR3_GM.sf2``), or
    None when it is anything else: a path, ``..``, an empty or over-long string."""
    name = option.strip()
    if name.lower().endswith(".sf2"):
        name = name[:-4]
    return name if SOUNDFONT_NAME.match(name) else None
