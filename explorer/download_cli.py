"""``nn-explorer download-mnist``: fetch the full MNIST into the cache with a text progress bar."""

from __future__ import annotations

import argparse
import sys
import threading
import time

from explorer.core.download import DownloadCancelled, DownloadError, download_mnist, mnist_dir

BAR_WIDTH = 30


def progress_line(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[##########--------------------]  33%   3.8 / 11.6 MB``."""
    fraction = min(1.0, done / total) if total else 0.0
    filled = int(round(fraction * width))
    return (f"[{'#' * filled}{'-' * (width - filled)}] {fraction * 100:4.0f}%  "
            f"{done / 1e6:5.1f} / {total / 1e6:.1f} MB")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nn-explorer download-mnist",
        description="Download the full MNIST set (60,000 + 10,000 digits, about 11 MB), verify each "
                    "file's SHA-256 checksum and keep it in the cache folder.")
    parser.add_argument("--dest", metavar="FOLDER", help=f"where to put the files (default: {mnist_dir()})")
    parser.add_argument("--mirror", metavar="URL", action="append",
                        help="a base URL to download from (repeatable; default: the published mirrors)")
    return parser


def run(argv: list[str] | None = None, stream=None) -> int:
    """Run the download with a progress bar on ``stream`` (default stderr); return an exit code."""
    args = build_parser().parse_args([] if argv is None else argv)
    stream = sys.stderr if stream is None else stream
    interactive = getattr(stream, "isatty", lambda: False)()
    last = [0.0, -1]

    def progress(done: int, total: int) -> None:
        # A terminal gets one bar redrawn in place; a log or pipe one line per tenth.
        if interactive:
            now = time.monotonic()
            if now - last[0] > 0.1 or done >= total:
                last[0] = now
                stream.write("\r" + progress_line(done, total))
                stream.flush()
        else:
            tenth = int(10 * done / total) if total else 0
            if tenth != last[1]:
                last[1] = tenth
                stream.write(progress_line(done, total) + "\n")

    cancel = threading.Event()
    try:
        folder = download_mnist(args.dest, mirrors=tuple(args.mirror) if args.mirror else None, progress=progress, cancel=cancel)
    except KeyboardInterrupt:
        stream.write("\ndownload cancelled; no partial file was kept.\n")
        return 130
    except DownloadCancelled:
        stream.write("\ndownload cancelled; no partial file was kept.\n")
        return 130
    except DownloadError as exc:
        advice = ("No mirror could be reached: is this computer offline? Check the network connection, "
                  "or pass --mirror URL." if exc.unreachable else
                  "A mirror answered but did not deliver the published file; try another with --mirror URL.")
        stream.write(f"\nnn-explorer: {exc}\n{advice}\nNothing half-written was kept.\n")
        return 1
    except OSError as exc:
        stream.write(f"\nnn-explorer: cannot write the MNIST files: {exc}\n")
        return 1
    if interactive:
        stream.write("\n")
    stream.write(f"MNIST is ready in {folder} (checksums verified).\n")
    return 0


def main() -> int:  # pragma: no cover - console entry convenience
    return run(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
