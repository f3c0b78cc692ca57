"""One warm LibreOffice converter: run as a script by a Python that can ``import uno``.

This file imports nothing from sireport: it runs under LibreOffice's Python (Windows,
macOS) or the system python3 with python3-uno (Debian), which may not have sireport's
dependencies. :mod:`sireport.pdf.pool` starts it as::

    python uno_worker.py SOFFICE PROFILE_DIR

It starts ``soffice`` headless with that profile and a private pipe, connects to it,
prints ``{"ready": true}`` and then serves one JSON request per line on stdin,
``{"docx": path, "pdf": path}``, answering ``{"ok": true}`` or ``{"ok": false, "error": …}``
on stdout. Each document's fields (page numbers, dates, indexes) are updated before the
PDF is written, with every font embedded. End of input: LibreOffice is closed and the
script exits. The pool kills the whole process group on a hang.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # noqa: I001 (LibreOffice's module: must come before its com.sun.star imports)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60


def _props(**values) -> tuple:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def _start_office(soffice: str, profile: Path) -> tuple[subprocess.Popen, object]:
    pipe = f"sireport-{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
         "--norestore", "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"LibreOffice 未能启动（退出码 {office.poll()}）") from None
            time.sleep(0.2)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return office, desktop


def _pdf_filter() -> tuple:
    data = _props(EmbedStandardFonts=True, UseTaggedPDF=True, ExportBookmarks=True, ExportNotes=False,
                  ReduceImageResolution=False)
    return _props(FilterName="writer_pdf_Export",
                  FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", data))


def convert(desktop, docx: str, pdf: str) -> None:
    document = desktop.loadComponentFromURL(Path(docx).absolute().as_uri(), "_blank", 0,
                                            _props(Hidden=True, ReadOnly=True, UpdateDocMode=1))
    if document is None:
        raise RuntimeError("LibreOffice 无法打开该报告")
    try:
        document.getTextFields().refresh()
        indexes = document.getDocumentIndexes()
        for index in range(indexes.getCount()):
            indexes.getByIndex(index).update()
        document.refresh()
        document.storeToURL(Path(pdf).absolute().as_uri(), _pdf_filter())
    finally:
        document.close(True)


def _answer(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    soffice, profile = argv[0], Path(argv[1])
    try:
        office, desktop = _start_office(soffice, profile)
    except Exception as exc:  # reported to the pool, which says it in Chinese
        _answer({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    _answer({"ready": True})
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request["docx"], request["pdf"])
                _answer({"ok": True})
            except Exception as exc:  # one document's failure; the pool restarts this converter
                lost = type(exc).__name__.endswith("DisposedException") or office.poll() is not None
                _answer({"ok": False, "lost": lost, "error": f"{type(exc).__name__}: {getattr(exc, 'Message', '') or exc}"})
    finally:
        with contextlib.suppress(Exception):  # LibreOffice already gone: nothing to close
            desktop.terminate()
        try:
            office.wait(10)
        except subprocess.TimeoutExpired:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    sys.stdin.reconfigure(encoding="utf-8")
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")  # no display needed
    sys.exit(main(sys.argv[1:]))
