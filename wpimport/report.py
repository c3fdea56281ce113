"""The closing report: every item of the file accounted for, in German. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from wpimport.writer import EDITED, FORCED, FOREIGN, NEW, OUTCOMES, UNCHANGED, UPDATED

KINDS = ("Beitrag", "Entwurf", "Seite", "Seitenentwurf")
KIND_PLURALS = {
    "Beitrag": "Beiträge",
    "Entwurf": "Entwürfe",
    "Seite": "Seiten",
    "Seitenentwurf": "Seitenentwürfe",
}


@dataclass(slots=True)
class Imported:
    kind: str  # one of KINDS
    post_id: int
    title: str
    path: str  # relative to content/
    outcome: str
    comments: int = 0
    note: str = ""


@dataclass(slots=True)
class Skipped:
    post_id: int
    label: str  # "Beitrag", "Anhang", …
    title: str
    reason: str


@dataclass(slots=True)
class Report:
    source: str
    content: str  # the content folder as given
    dry_run: bool = False
    version: str = ""
    site_title: str = ""
    site_url: str = ""
    item_count: int = 0
    comment_count: int = 0
    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    comments_written: Counter[str] = field(default_factory=Counter)  # by outcome
    comments_skipped: Counter[str] = field(default_factory=Counter)  # by reason
    warnings: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # about the whole import
    images: dict[str, str] = field(default_factory=dict)  # wp-content/uploads/… -> images/…
    external_images: dict[str, list[str]] = field(default_factory=dict)  # url -> titles
    moved: list[tuple[str, str]] = field(default_factory=list)  # old path, new path
    short_links: int = 0  # ?p=123 / ?page_id=7 redirects besides the moved permalinks
    moved_terms: list[tuple[str, str]] = field(default_factory=list)  # category/tag pages
    unredirectable: list[tuple[str, str]] = field(default_factory=list)
    redirects_file: str = ""  # content/redirects.txt, when written

    def file(self, relative: str) -> str:
        return f"{self.content.rstrip('/')}/{relative}"

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")

    @property
    def files(self) -> Counter[str]:
        counts = Counter(entry.outcome for entry in self.imported)
        counts.update(self.comments_written)
        return counts

    @property
    def changed(self) -> bool:
        files = self.files
        return any(files[outcome] for outcome in (NEW, UPDATED, FORCED))

    def text(self) -> str:
        lines: list[str] = []
        site = ", ".join(part for part in (f"„{self.site_title}“", self.site_url) if part)
        lines.append(f"WordPress-Import aus {self.source} (WXR {self.version}, {site})")
        if self.dry_run:
            lines.append("Probelauf (--dry-run): es wurde nichts geschrieben.")
        lines += self._imported_lines()
        lines += self._skipped_lines()
        if self.warnings or self.hints:
            lines += ["", f"Hinweise ({len(self.warnings) + len(self.hints)}):"]
            lines += [f"  {warning}" for warning in self.warnings + self.hints]
        if self.moved or self.short_links or self.moved_terms:
            lines += [
                "",
                f"Adressen geändert ({len(self.moved)}), dazu {self.short_links} "
                f"Kurzadressen (?p=…): Weiterleitungen (301) in {self.redirects_file}; der "
                "Build schreibt sie nach _redirects, .htaccess und nginx-redirects.conf",
            ]
            lines += [f"  {old} -> {new}" for old, new in self.moved]
        if self.moved_terms:
            lines += [
                "",
                f"Kategorie- und Schlagwortseiten geändert ({len(self.moved_terms)}): "
                f"ebenfalls in {self.redirects_file}",
            ]
            lines += [f"  {old} -> {new}" for old, new in self.moved_terms]
        if self.unredirectable:
            lines += [
                "",
                f"Ohne Weiterleitung ({len(self.unredirectable)}): diese alten Adressen "
                "taugen nicht für eine Serverregel; von Hand weiterleiten",
            ]
            lines += [f"  {old} -> {new}" for old, new in self.unredirectable]
        lines += self._image_lines()
        lines += ["", *self._totals()]
        return "\n".join(lines) + "\n"

    def _imported_lines(self) -> list[str]:
        lines: list[str] = []
        width = max((len(entry.outcome) for entry in self.imported), default=0)
        for kind in KINDS:
            entries = [entry for entry in self.imported if entry.kind == kind]
            if not entries:
                continue
            lines += ["", f"{KIND_PLURALS[kind]} ({len(entries)}):"]
            for entry in entries:
                comments = f", {_comments(entry.comments)}" if entry.comments else ""
                note = f" – {entry.note}" if entry.note else ""
                lines.append(
                    f"  {entry.outcome:<{width}}  {self.file(entry.path)}  "
                    f"„{entry.title}“ (#{entry.post_id}{comments}){note}"
                )
        written = sum(self.comments_written.values())
        if written:
            by_outcome = ", ".join(
                f"{self.comments_written[outcome]} {outcome}"
                for outcome in OUTCOMES
                if self.comments_written[outcome]
            )
            lines += ["", f"Kommentare ({written}): {by_outcome}"]
            lines.append(f"  in {self.file('comments/<slug>/<id>.md')}")
        return lines

    def _skipped_lines(self) -> list[str]:
        lines: list[str] = []
        if self.skipped:
            lines += ["", f"Übersprungen ({len(self.skipped)}):"]
            for entry in self.skipped:
                title = f" „{entry.title}“" if entry.title else ""
                lines.append(f"  #{entry.post_id} {entry.label}{title}: {entry.reason}")
        skipped_comments = sum(self.comments_skipped.values())
        if skipped_comments:
            lines += ["", f"Kommentare übersprungen ({skipped_comments}):"]
            for reason, count in sorted(self.comments_skipped.items(), key=lambda x: -x[1]):
                lines.append(f"  {count:>4}  {reason}")
        kept = [e for e in self.imported if e.outcome in (EDITED, FOREIGN)]
        kept_comments = self.comments_written[EDITED] + self.comments_written[FOREIGN]
        if kept or kept_comments:
            lines += ["", "Nicht überschrieben (von Hand geänderte mit --force überschreiben):"]
            lines += [f"  {self.file(entry.path)}: {entry.outcome}" for entry in kept]
            if kept_comments:
                lines.append(f"  {kept_comments} Kommentardatei(en), siehe Hinweise")
        return lines

    def _image_lines(self) -> list[str]:
        lines: list[str] = []
        if self.images:
            lines += [
                "",
                f"Bilder und Mediendateien zum Kopieren ({len(self.images)}): aus dem Ordner "
                "der alten WordPress-Installation oder dem Medienexport (kein Download: von "
                "Hand kopieren)",
            ]
            for source, target in sorted(self.images.items()):
                lines.append(f"  {source} -> {self.file(target)}")
        if self.external_images:
            lines += [
                "",
                f"Bilder von anderen Servern ({len(self.external_images)}): die Seiten laden "
                "nichts von anderen Servern; herunterladen, unter "
                f"{self.file('images/')} ablegen und den Link im Text ändern",
            ]
            for url, titles in sorted(self.external_images.items()):
                lines.append(f"  {url} (in „{'“, „'.join(sorted(set(titles)))}“)")
        return lines

    def _totals(self) -> list[str]:
        counts = Counter(entry.kind for entry in self.imported)
        parts = [_count(counts[kind], kind) for kind in KINDS if counts[kind]]
        parts.append(f"{len(self.skipped)} übersprungen")
        written = sum(self.comments_written.values())
        skipped = sum(self.comments_skipped.values())
        files = self.files
        file_parts = ", ".join(f"{files[outcome]} {outcome}" for outcome in OUTCOMES)
        lines = [
            f"Summe: {self.item_count} {'Eintrag' if self.item_count == 1 else 'Einträge'} "
            f"in der Datei = {' + '.join(parts)}; {self.comment_count} "
            f"{'Kommentar' if self.comment_count == 1 else 'Kommentare'} = {written} "
            f"übernommen + {skipped} übersprungen.",
            f"Dateien: {file_parts}.",
        ]
        if not self.changed:
            lines.append(
                "Nichts Neues: keine Datei geschrieben."
                if files[UNCHANGED] or not self.dry_run
                else "Nichts zu schreiben."
            )
        return lines


def _count(count: int, kind: str) -> str:
    return f"{count} {kind if count == 1 else KIND_PLURALS[kind]}"


def _comments(count: int) -> str:
    return "1 Kommentar" if count == 1 else f"{count} Kommentare"
