"""CheckReport -> text for people, or a JSON-ready dict for programs (docs/check.schema.json)."""
from __future__ import annotations

from ..model import Leaflet
from ..readability import Score
from ..words import counted
from .language import score_text, target_text
from .model import CheckReport, Finding
from .settings import reading_options


def _groups(report: CheckReport) -> list[tuple[Leaflet | None, str, list[Finding]]]:
    """Findings grouped: files that hold no good leaflet (catalogue, templates, leaflets that
    failed validation) first, then each leaflet in catalogue order."""
    order = lambda f: (str(f.path), f.line, f.column, f.rule)  # noqa: E731
    loose: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.leaflet_id is None:
            loose.setdefault(str(finding.path), []).append(finding)
    groups: list[tuple[Leaflet | None, str, list[Finding]]] = [
        (None, path, sorted(found, key=order)) for path, found in sorted(loose.items())]
    for leaflet in report.catalogue.leaflets:
        mine = [f for f in report.findings if f.leaflet_id == leaflet.id]
        groups.append((leaflet, str(leaflet.where[0]), sorted(mine, key=order)))
    return groups


def reading_summary(report: CheckReport, leaflet: Leaflet) -> str:
    score = report.readability[leaflet.id].overall
    if score.value is None:
        return f"no readability formula applies to '{leaflet.language}'; not scored"
    target = target_text(score.formula, reading_options(report.settings))
    return f"{score_text(score)} (target: {target})"


def format_text(report: CheckReport, strict: bool = False, show=str) -> str:
    lines = []
    for leaflet, path, findings in _groups(report):
        if leaflet is None:
            lines.append(f"{show(path)}")
        else:
            lines += [f"{leaflet.id}: {leaflet.title} ({show(path)}, {leaflet.language})",
                      f"  reading level: {reading_summary(report, leaflet)}"]
        for f in findings:
            lines += [f"  {show(f.path)}:{f.line}:{f.column}: {f.severity} [{f.rule}] "
                      f"{f.message}", f"      fix: {f.fix}"]
        lines.append("")
    errors, warnings = report.count("error"), report.count("warning")
    verdict = "passed" if report.passed(strict) else "failed"
    lines.append(f"{counted(len(report.catalogue.leaflets), 'leaflet')} checked: "
                 f"{counted(errors, 'error')}, {counted(warnings, 'warning')} - {verdict}{' (--strict)' if strict else ''}")
    return "\n".join(lines)


def _finding_json(f: Finding, show) -> dict:
    return {"rule": f.rule, "severity": f.severity, "path": show(f.path), "line": f.line,
            "column": f.column, "message": f.message, "fix": f.fix, "leaflet": f.leaflet_id}


def _readability_json(report: CheckReport, leaflet: Leaflet) -> dict:
    r = report.readability[leaflet.id]
    opt = reading_options(report.settings)

    def score(s: Score) -> dict:
        return {"score": _round(s.value), "flesch_kincaid": _round(s.flesch_kincaid),
                "words": s.words, "sentences": s.sentences}

    return {"formula": r.overall.formula, **score(r.overall),
            "target": target_text(r.overall.formula, opt) if r.overall.formula else None,
            "note": None if r.overall.value is not None else reading_summary(report, leaflet),
            "sections": [{"heading": sec.heading, "line": sec.where[1], **score(s)}
                         for sec, s in r.sections],
            "hardest": [{"text": s.text, "line": s.where[1], "words": s.words,
                         "polysyllables": s.polysyllables} for s in r.hardest(5)]}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def as_json(report: CheckReport, strict: bool = False, show=str) -> dict:
    leaflets, files = [], []
    for leaflet, path, findings in _groups(report):
        items = [_finding_json(f, show) for f in findings]
        if leaflet is None:
            files.append({"path": show(path), "findings": items})
        else:
            leaflets.append({"id": leaflet.id, "title": leaflet.title, "path": show(path),
                             "language": leaflet.language, "code": leaflet.governance.code,
                             "readability": _readability_json(report, leaflet),
                             "findings": items})
    return {"schema": "handouts-check/1", "today": report.today.isoformat(),
            "catalogue": show(report.catalogue.path), "strict": strict,
            "summary": {"leaflets": len(leaflets), "errors": report.count("error"),
                        "warnings": report.count("warning"), "passed": report.passed(strict)},
            "files": files, "leaflets": leaflets}
