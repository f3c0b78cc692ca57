"""Benchmark: PDFs by ``sireport batch --pdf`` (warm LibreOffice converters) against the
naive way, a cold ``soffice --convert-to pdf`` per file, in one run.

    python benchmarks/pdf_speed.py                    # 300 synthetic counties, -j 2, cold on 20
    python benchmarks/pdf_speed.py --count 300 --cold 300   # the cold path on every file

1. Writes N synthetic counties (tools.synthetic) and renders their reports (.docx) once.
2. Cold path: ``soffice --headless --convert-to pdf`` started once per file, one after
   another, on the first --cold reports (LibreOffice's profile is created by one untimed
   conversion first, as on a clerk's machine where it exists already). With --cold < N
   the time for N files is that sample's seconds per file times N (extrapolated: said so).
3. ``sireport batch DIR -o OUT -j J --pdf`` as its own process, timed end to end: loading,
   checks, rendering, writing every .docx AND converting every PDF (the cold path gets its
   .docx for free), while the resident memory of its whole process tree (converters and
   their LibreOffice included) is sampled.
Prints PDFs/s of both, the ratio, and the peak RSS of each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from batch_speed import batch, timed  # noqa: E402  (this folder)

from tools.synthetic import write_counties  # noqa: E402


def cold(reports: list[Path], out: Path) -> tuple[float, int]:
    """(seconds per PDF, peak RSS bytes) of one cold ``soffice --convert-to pdf`` per file."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed: see docs/PDF输出.md")
    profile = (out / "profile").absolute().as_uri()
    out.mkdir(parents=True, exist_ok=True)

    def convert(report: Path, folder: Path) -> tuple[float, int, str]:
        return timed([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                      "--outdir", str(folder), str(report)])

    convert(reports[0], out / "warm-up")  # creates the profile, untimed
    seconds, peak = 0.0, 0
    for report in reports:
        spent, rss, _ = convert(report, out)
        seconds, peak = seconds + spent, max(peak, rss)
    made = len(list(out.glob("*.pdf")))
    if made != len(reports):
        raise SystemExit(f"cold conversion wrote {made} of {len(reports)} PDFs")
    return seconds / len(reports), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="synthetic counties")
    parser.add_argument("--cold", type=int, default=20, help="files converted the cold way (the rest extrapolated)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--example", default=str(ROOT / "data_examples" / "hami-2019.yaml"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sireport-pdfbench-") as temp:
        temp_dir = Path(temp)
        write_counties(Path(args.example), temp_dir / "units", args.count)
        batch(temp_dir / "units", temp_dir / "docx", args.jobs, None)
        reports = sorted((temp_dir / "docx").glob("*.docx"))[: args.cold]
        per_cold, cold_rss = cold(reports, temp_dir / "cold")
        sample = "every file" if len(reports) == args.count else f"a sample of {len(reports)}, extrapolated"
        print(f"cold soffice --convert-to pdf per file: {per_cold:.2f} s/PDF = {1 / per_cold:.2f} PDFs/s; "
              f"{args.count} files: {per_cold * args.count:.0f} s ({sample}); peak RSS {cold_rss / 2**20:.0f} MB")
        seconds, peak, stdout = batch(temp_dir / "units", temp_dir / "pdf", args.jobs, None, "--pdf")
        made = len(list((temp_dir / "pdf").glob("*.pdf")))
        if made != args.count:
            raise SystemExit(f"batch --pdf wrote {made} of {args.count} PDFs:\n{stdout}")
        rate = args.count / seconds
        print(f"batch --pdf -j {args.jobs}, {args.count} counties: {seconds:.1f} s end to end (render + PDF) = "
              f"{rate:.2f} PDFs/s = {rate * per_cold:.1f}x the cold path; peak RSS (process tree) "
              f"{peak / 2**20:.0f} MB")
        fonts = next((line for line in stdout.splitlines() if line.startswith("PDF：")), "")
        print(f"    {fonts}")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work on the "
              "machine slows both paths)")


if __name__ == "__main__":
    main()
