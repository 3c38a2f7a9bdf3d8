"""`handouts new ID`: a new leaflet file with every field present and commented."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .content import SLUG

TEMPLATE = """\
# A new leaflet. Fill in every field, then run: handouts validate
# Every field is below, with what it holds. For a finished example, run 'handouts init
# example' in an empty folder and read example/leaflets/blood-test.yaml.
id: {id}                              # slug: the PDF is out/{id}.pdf
title: Write the leaflet title here
subtitle: Who this leaflet is for     # optional
summary: One or two sentences on what the leaflet covers.   # optional
# language: en-GB                     # optional: else the catalogue default (BCP 47)
# template: NAME                      # optional: a folder under templates/, else the default
specialty: General                    # optional: used by the catalogue page
keywords: [keyword one, keyword two]  # optional

governance:
  code: PIL-0000                      # the leaflet reference code
  version: "1"
  author: Your department
  owner: The person responsible for keeping it current
  approved_by: Patient Information Group    # optional
  approval_date: {today}                    # optional, YYYY-MM-DD
  published: {today}
  last_reviewed: {today}
  # next_review: YYYY-MM-DD           # optional: else last_reviewed + the review interval

sections:
  - heading: What is this?
    blocks:
      - paragraph: Write in short sentences. Use **bold** for key points [@example].
      - bullets: [First point, Second point]
      - steps: [First step, Second step]
      - callout: urgent               # info, warning or urgent
        text: Say when to get help, and how.
      # - table: {{header: [Column, Column], rows: [[cell, cell]], caption: Optional}}
      # - figure: images/picture.png
      #   alt: What the picture shows  # required unless decorative: true
      #   caption: Optional caption
      # - contact: {{name: Team name, phone: 020 7946 0000, email: team@example.org}}

references:
  - id: example
    citation: Author A. Title of the source. Publisher; 2025.
    url: https://www.example.org/source
    accessed: {today}
"""


def write_new_leaflet(leaflet_id: str, folder: Path) -> Path:
    if not SLUG.match(leaflet_id):
        raise ValueError(f"'{leaflet_id}' is not a valid id - use lower-case letters, digits "
                         "and '-', e.g. knee-surgery")
    path = Path(folder) / f"{leaflet_id}.yaml"
    if path.exists():
        raise ValueError(f"{path} already exists - choose another id or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(id=leaflet_id, today=dt.date.today().isoformat()),
                    encoding="utf-8")
    return path
