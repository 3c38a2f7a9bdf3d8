"""Stage 2, validate: content.yaml and leaflet files -> Catalogue of frozen Leaflets.

Every problem in every file is collected (never just the first). A leaflet with errors is
left out of `Catalogue.leaflets` and its problems are kept in `Catalogue.problems`, so one
bad leaflet never stops the others. catalogue.py reads content.yaml, leaflet.py one
leaflet, blocks.py the blocks inside its sections; imports point that way only.
"""
from .blocks import read_contact
from .catalogue import (EXTRA_VARIANTS, Catalogue, load_catalogue, read_matching,
                        read_variants)
from .leaflet import (SLUG, VAGUE_LINK_TEXT, Defaults, _check_rich, _language,
                      _references, _sections, add_months, load_leaflet_file, read_leaflet)

__all__ = [
    "EXTRA_VARIANTS", "SLUG", "VAGUE_LINK_TEXT", "Catalogue", "Defaults",
    "add_months", "load_catalogue", "load_leaflet_file", "read_contact", "read_leaflet",
    "read_matching", "read_variants",
    # the leaflet rules translations.py applies to translated text as well
    "_check_rich", "_language", "_references", "_sections",
]
