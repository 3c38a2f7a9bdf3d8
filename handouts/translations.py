"""Stage 2, validate: translation files -> frozen Leaflets in another language.

A translation names the leaflet it translates (`translates:`), its language, and the
source version it was made from. It carries the translated text (title, sections,
references...) in the same shape as a leaflet; governance comes from the source. When the
source's version is newer than `source_version`, the translation is stale: it still
builds, with a notice on page 1, and a warning lists it. No ReportLab here.
"""
from __future__ import annotations

import dataclasses

from .content import _check_rich, _language, _references, _sections  # one set of rules
from .content import read_matching
from .errors import Problem, Problems
from .fields import Reader, did_you_mean
from .inline import parse_inline
from .load import Map, Seq
from .model import Governance, Leaflet, Translation

TRANSLATION_KEYS = {"translates", "language", "source_version", "translator", "translated",
                    "title", "subtitle", "summary", "keywords", "sections", "references",
                    "governance"}
# The governance a translation writes in its own language: who wrote, owns and approved
# the leaflet, which "Leaflet details" prints. Its code, version and dates are the source's.
TRANSLATED_GOVERNANCE = ("author", "owner", "approved_by")
REQUIRED = ("translates", "language", "source_version", "translator", "translated", "title",
            "sections")


def version_key(version: str) -> tuple:
    """'3' < '3.1' < '10': dotted versions compared part by part, numbers as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in str(version).strip().lstrip("vV").split("."))


def load_translations(reader: Reader, entries: Seq, catalogue) -> None:
    """Read every translation the catalogue's `translations:` list names."""
    for index, entry in enumerate(entries):
        if isinstance(entry, Map):
            _add(entry, catalogue)
            continue
        if not isinstance(entry, str):
            reader.error(entries, index, "each item of 'translations' should be a file path, "
                         "a glob or a translation mapping", "write '- leaflets/translations/*.yaml'")
            continue
        for node in read_matching(reader, entries, index, catalogue, "translation"):
            _add(node, catalogue)


def _add(node, catalogue) -> None:
    problems = Problems()
    translation = read_translation(node, catalogue, problems)
    catalogue.problems.extend(problems.items)
    if translation is None or problems.errors:
        catalogue.failed.append(_name(node))
        return
    key = (translation.id, translation.language.lower())
    twin = next((t for t in catalogue.translations
                 if (t.id, t.language.lower()) == key), None)
    if twin is not None:
        line, column = node.mark
        catalogue.problems.append(Problem(
            node.path, line, column, f"a second {translation.language} translation of "
            f"'{translation.id}' (the first is {twin.where[0]})",
            "keep one translation per language"))
        catalogue.failed.append(_name(node))
        return
    catalogue.translations.append(translation)


def _name(node) -> str:
    if isinstance(node, Map) and node.get("translates"):
        return f"{node.get('translates')}.{node.get('language', '?')}"
    return str(getattr(node, "path", "?"))


def read_translation(node, catalogue, problems: Problems) -> Leaflet | None:
    """Validate one translation against its source; None when it cannot be built."""
    reader = Reader(problems)
    if not isinstance(node, Map):
        problems.add(getattr(node, "path", catalogue.path), getattr(node, "mark", None),
                     "a translation should be a mapping of keys", "start with 'translates: <id>'")
        return None
    if "brand_text" in node:  # the brand's words belong to the brand the leaflet is built with
        reader.error(node, "brand_text", "a translation cannot carry the brand's texts "
                     "(brand_text:): they would print under any brand it is built with",
                     f"move them to the brand template, under 'texts:' then "
                     f"'  {node.get('language', '<language>')}:' and the brand keys "
                     "below it, e.g. '    other_formats: ...'", key=True)
    reader.check_keys(node, TRANSLATION_KEYS | {"brand_text"}, REQUIRED, "translation")
    source = _source(reader, node, catalogue)
    language = _language(reader, node, "language")
    if source and language and language.lower() == source.language.lower():
        reader.error(node, "language", f"the translation's language '{language}' is the "
                     f"language of '{source.id}' itself", "write the language it is translated into")
    version = reader.text(node, "source_version")
    translated = reader.date(node, "translated")
    translator = reader.text(node, "translator")
    sections = _sections(reader, node, "sections", 2)
    references = _references(reader, node) if "references" in node else None
    if not (source and language and version and translated and translator) or problems.errors:
        return None
    governance = _governance(reader, node, source, version)
    if problems.errors:
        return None
    stale = _check_version(reader, node, version, source)
    refs = tuple(references) if references is not None else source.references
    leaflet = Leaflet(
        id=source.id, title=reader.text(node, "title") or "", language=language,
        template=source.template, governance=governance,
        sections=tuple(sections), references=refs,
        subtitle=reader.text(node, "subtitle"), summary=reader.text(node, "summary"),
        specialty=source.specialty,
        keywords=tuple(reader.text_list(node, "keywords") or source.keywords),
        where=(node.path, *node.mark), template_where=source.template_where,
        translation=Translation(source.language, version, source.governance.version,
                                translator, translated, stale,
                                source_file=source.where[0]))
    ref_ids = {r.id for r in refs}
    for text, where in leaflet.rich_texts():
        _check_rich(problems, text, where, ref_ids)
    if leaflet.summary:
        _check_rich(problems, parse_inline(leaflet.summary), (node.path, *node.mark_of("summary")),
                    ref_ids)
    return None if problems.errors else leaflet


def _governance(reader: Reader, node: Map, source: Leaflet, version: str) -> Governance:
    """The source's governance at the version translated, with its author, owner and
    approver as the translation writes them."""
    own = source.governance
    governance = reader.mapping(node, "governance") if "governance" in node else None
    if governance is None:
        return dataclasses.replace(own, version=version)
    for key in governance:
        if key not in TRANSLATED_GOVERNANCE:
            reader.error(governance, key, f"a translation cannot set governance '{key}': "
                         "its code, version and dates are its source's",
                         f"write only {', '.join(TRANSLATED_GOVERNANCE)} here, in the "
                         "translation's language (the rest comes from the source)", key=True)
    names = {key: reader.text(governance, key) for key in TRANSLATED_GOVERNANCE
             if key in governance}
    for key, value in names.items():
        if not value:
            reader.error(governance, key, f"governance '{key}' is empty",
                         "write it in the translation's language, or remove the key to "
                         "print the source's")
    if names.get("approved_by") and not source.governance.approved_by:
        reader.error(governance, "approved_by", f"'{source.id}' names no approver "
                     "(governance.approved_by) to translate",
                     "add approved_by to the source's governance, or remove it here", key=True)
    return dataclasses.replace(own, version=version, author=names.get("author") or own.author,
                               owner=names.get("owner") or own.owner,
                               approved_by=names.get("approved_by") or own.approved_by)


def _source(reader: Reader, node: Map, catalogue) -> Leaflet | None:
    source_id = reader.text(node, "translates")
    if not source_id:
        return None
    for leaflet in catalogue.leaflets:
        if leaflet.id == source_id:
            return leaflet
    if source_id in catalogue.failed:
        reader.error(node, "translates", f"the source leaflet '{source_id}' has errors, so "
                     "its translation cannot be built", "fix the source leaflet first")
    elif not catalogue.unreadable:  # else its source may be the file that did not parse
        ids = [leaflet.id for leaflet in catalogue.leaflets]
        reader.error(node, "translates", f"no leaflet with id '{source_id}' to translate",
                     did_you_mean(source_id, ids) if ids else "add the source leaflet first")
    return None


def _check_version(reader: Reader, node: Map, version: str, source: Leaflet) -> bool:
    """True when the source is newer than the version this translation was made from."""
    current = source.governance.version
    if version_key(version) > version_key(current):
        reader.error(node, "source_version", f"source_version {version} is newer than "
                     f"'{source.id}' itself (version {current})",
                     f"write the version of '{source.id}' that was translated")
        return False
    if version_key(version) < version_key(current):
        reader.warn(node, "source_version", f"stale translation: '{source.id}' "
                    f"({node.get('language')}) was translated from version {version}, and the "
                    f"source is now version {current}; it is built with an out-of-date notice",
                    f"update the translation, then set source_version: \"{current}\"")
        return True
    return False
