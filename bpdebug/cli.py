"""The ``bpdebug`` command: open the app, or print a trace, a gradient check, the bundled list."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from bpdebug._version import __version__

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_GRAPH = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bpdebug",
        description=(
            "Step through the forward and the backward pass of a computational graph. "
            "With no option, opens the debugger on GRAPH (or a start screen without one)."
        ),
        epilog="Examples: bpdebug graphs/problem2.toml · bpdebug problem2 --trace · bpdebug --list",
    )
    parser.add_argument(
        "graph", nargs="?", metavar="GRAPH", help="a graph file, or the name of a bundled graph"
    )
    _formula_arguments(parser)
    parser.add_argument("--trace", action="store_true", help="print every step instead of opening the app")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default=None,
        help="the --trace output: a readable table (default) or JSON; implies --trace",
    )
    parser.add_argument(
        "--check", action="store_true", help="compare every gradient with a numerical gradient"
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=40,
        metavar="N",
        help="with --check: elements checked per array (default 40, chosen at random)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="reload the graph when its file changes (a broken file keeps the last good one)",
    )
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help="the language to speak: en or zh (default: BPDEBUG_LANG, the locale, the graph's own lang)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change an input first (what if?): apple=101, or one element: 'W1[0,3]=0.5'; repeatable",
    )
    parser.add_argument(
        "--layers",
        action="append",
        default=[],
        metavar="FILE.py",
        help="book-style layer classes for the graph's 'layer' nodes; this RUNS the file's code; repeatable",
    )
    quiz = "in the app: before each step shows its numbers, predict them (a score is kept)"
    parser.add_argument("--quiz", action="store_true", help=quiz)
    _export_arguments(parser)
    parser.add_argument("--list", action="store_true", help="list the bundled graphs")
    parser.add_argument("--version", action="version", version=f"bpdebug {__version__}")
    return parser


def _formula_arguments(parser: argparse.ArgumentParser) -> None:
    """-e and --output: a graph typed on the command line (docs/graph-format.md, "Formulas")."""
    parser.add_argument(
        "-e",
        "--expr",
        action="append",
        default=[],
        metavar="FORMULA",
        help="a graph typed as a formula, not a file: -e 'z = (x + y) ** 2' --set x=1 --set y=2; repeatable",
    )
    parser.add_argument(
        "--output", metavar="NAME", help="with -e: the output node (default: the last assigned)"
    )


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    """--export and its options, and --serve and its: the ways the trace leaves the terminal."""
    parser.add_argument(
        "--export",
        choices=("markdown", "dot", "svg"),
        help="write a handout (markdown), a Graphviz graph (dot) or the app's screens (svg), in --lang",
    )
    parser.add_argument(
        "-o", "--out", metavar="PATH", help="with --export: the file (svg of every step: the folder)"
    )
    parser.add_argument("--force", action="store_true", help="with --export: overwrite files that exist")
    parser.add_argument("--step", type=int, metavar="K", help="with --export svg: only the screen at step K")
    parser.add_argument(
        "--size", default="120x40", metavar="COLSxROWS", help="with --export svg (default 120x40)"
    )
    parser.add_argument("--theme", choices=("dark", "light"), default="dark", help="with --export svg")
    parser.add_argument("--serve", action="store_true", help="serve the app to browser tabs (textual-serve)")
    parser.add_argument("--port", type=int, default=8000, help="with --serve (default 8000)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="with --serve (default 127.0.0.1, this machine only)"
    )


class _EscapingWriter:
    """Standard output for text that quotes files: every line escaped (safe_text), whatever
    was forgotten upstream, so no write can reach the terminal as a control sequence."""

    def __init__(self, out: TextIO) -> None:
        from bpdebug.support.safe_text import escape_lines

        self._out = out
        self._escape = escape_lines

    def write(self, text: str) -> int:
        return self._out.write(self._escape(text))

    def flush(self) -> None:
        self._out.flush()


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `bpdebug g --trace | head` is fine
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print(
            "bpdebug: error: out of memory: the graph's arrays are too large for this machine "
            "(make them smaller, or lower BPDEBUG_MAX_TOTAL_ELEMENTS to be told before it happens)",
            file=sys.stderr,
        )
        return EXIT_BAD_GRAPH


def _conflicts(args: argparse.Namespace, given: set[str]) -> str | None:
    """Why these options cannot go together, or None."""
    if args.list and (args.graph is not None or given - {"--list", "--lang"}):
        return "--list takes no GRAPH and no other option but --lang"
    if args.expr and (args.graph is not None or args.watch or args.layers):
        return "-e builds the graph itself: it does not go with a GRAPH, --watch or --layers"
    if args.output is not None and not args.expr:
        return "--output is for -e"
    if (
        args.graph is None
        and not args.expr
        and given
        & {
            "--export",
            "--trace",
            "--format",
            "--check",
            "--watch",
            "--samples",
            "--set",
            "--layers",
        }
    ):
        return "--trace, --format, --check, --watch, --set, --layers and --export need a GRAPH (or -e)"
    export_only = {"-o", "--out", "--force", "--step", "--size", "--theme"}
    if args.export is None and (given & export_only or args.out is not None):
        return "-o, --force, --step, --size and --theme are for --export"
    if args.export is not None and (args.trace or args.check or args.watch or args.quiz):
        return "--export writes files; it does not go with --trace, --check, --watch or --quiz"
    if args.export != "svg" and given & {"--step", "--size", "--theme"}:
        return "--step, --size and --theme are for --export svg"
    if not args.serve and given & {"--port", "--host"}:
        return "--port and --host are for --serve"
    if args.serve and (args.trace or args.check or args.export):
        return "--serve serves the app; it does not go with --trace, --check or --export"
    if args.quiz and (args.trace or args.check):
        return "--quiz asks in the app; it does not go with --trace or --check"
    if args.watch and (args.trace or args.check):
        return "--watch reloads the app; it does not go with --trace or --check"
    if "--samples" in given and not args.check:
        return "--samples is for --check"
    return None


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    given = {a.split("=", 1)[0] for a in (sys.argv[1:] if argv is None else argv) if a.startswith("--")}
    if args.format is not None:
        args.trace = True  # --format json says what it wants: the trace, as JSON
    conflict = _conflicts(args, given)
    if conflict:
        print(f"bpdebug: error: {conflict} (see bpdebug --help)", file=sys.stderr)
        return EXIT_BAD_GRAPH
    lang = _language(args.lang)
    if lang is EXIT_BAD_GRAPH:
        return EXIT_BAD_GRAPH
    if args.list:
        return _list(sys.stdout)
    if args.graph is None and not args.expr:
        return _open_app(None, quiz=args.quiz)

    if not (args.trace or args.check or args.export):
        from bpdebug.support.gcpause import collector_off_for_startup

        collector_off_for_startup()  # before numpy and textual are imported
    from bpdebug.core.edits import EditError, apply_edits
    from bpdebug.core.engine import run
    from bpdebug.formats.toml import load
    from bpdebug.support.errors import GraphError
    from bpdebug.teach.messages import set_language

    try:
        classes = _layers(args.layers)
        if args.expr:
            from bpdebug.formats.formulas.command_line import formula_graph

            loaded, settings = formula_graph(args.expr, args.set, args.output, lang=lang)  # type: ignore[arg-type]
        else:
            loaded, settings = load(args.graph, lang=lang, layers=classes), args.set  # type: ignore[arg-type]
        set_language(loaded.lang)
        edits = _edits(loaded, settings)
        graph = apply_edits(loaded, edits)
        trace = run(graph)  # before the app opens: a graph that cannot run is one line, too
    except (GraphError, EditError) as error:
        from bpdebug.support.gcpause import collector_back_on

        collector_back_on()  # the app will not start: leave the collector as it was
        print(f"bpdebug: {_said(error)}", file=sys.stderr)
        return EXIT_BAD_GRAPH
    if args.export is not None:
        return _export(trace, args)
    if args.serve:
        return _serve(trace, args, sys.argv[1:] if argv is None else argv)
    if not (args.trace or args.check):
        layers = {"layers": classes, "layer_files": args.layers}
        return _open_app(trace, watch=args.watch, base=loaded, edits=edits, quiz=args.quiz, **layers)
    return _print(graph, trace, args)


def _print(graph, trace, args: argparse.Namespace) -> int:
    """--trace and --check."""
    out = _EscapingWriter(sys.stdout)
    if args.trace:
        if args.format == "json":
            from bpdebug.export.trace_json import trace_json

            sys.stdout.write(trace_json(trace) + "\n")  # escaped by trace_json, as JSON escapes
        else:
            from bpdebug.export.trace_text import print_trace

            print_trace(trace, out)  # type: ignore[arg-type]
    if args.check:
        return _check(graph, trace, args.samples, out)  # type: ignore[arg-type]
    return EXIT_OK


def _language(given: str | None) -> str | int | None:
    """The language chosen (None: let the graph's own lang decide), set for what follows; or
    EXIT_BAD_GRAPH, said, for an unknown one."""
    from bpdebug.support.languages import LANGUAGES, from_environment, unknown
    from bpdebug.teach.messages import set_language

    lang = given.strip().lower() if given else from_environment()
    if lang is not None and lang not in LANGUAGES:
        print(f"bpdebug: error: {unknown(lang)}", file=sys.stderr)
        return EXIT_BAD_GRAPH
    set_language(lang or "en")  # the graph's own lang may still decide, once it is read
    return lang


def _serve(trace, args: argparse.Namespace, argv: list[str]) -> int:
    """Serve the app as the command line asked for it, less the serving options."""
    from bpdebug.support.gcpause import collector_back_on
    from bpdebug.teach.messages import language
    from bpdebug.tui.serve import ServeError, serve

    collector_back_on()
    app_arguments, skip = [], False
    for item in argv:
        if skip:
            skip = False
        elif item in ("--port", "--host"):
            skip = True
        elif item != "--serve" and not item.startswith(("--port=", "--host=")):
            app_arguments.append(item)
    try:
        serve([*app_arguments, "--lang", language()], args.host, args.port, f"bpdebug — {trace.title}")
    except ServeError as error:
        print(f"bpdebug: error: {error}", file=sys.stderr)
        return EXIT_BAD_GRAPH
    return EXIT_OK


def _export(trace, args: argparse.Namespace) -> int:
    from pathlib import Path

    from bpdebug.export.output import OutputError, write_files
    from bpdebug.support.safe_text import escape_text

    try:
        if args.export == "svg":
            from bpdebug.tui.export_svg import export_svg

            said = export_svg(trace, args.step, args.out, args.size, args.theme, args.force)
            if said:
                print(escape_text(said), file=sys.stderr)
            return EXIT_OK
        if args.export == "markdown":
            from bpdebug.export.handout import handout

            text = handout(trace)
        else:
            from bpdebug.export.dot import dot

            text = dot(trace)
        if args.out is None:
            sys.stdout.write(text)
        else:
            write_files({Path(args.out): text}, args.force)
    except OutputError as error:
        print(f"bpdebug: error: {escape_text(str(error))}", file=sys.stderr)
        return EXIT_BAD_GRAPH
    return EXIT_OK


def _layers(files: list[str]):
    """The classes of the --layers files (their code runs here), or None when none is given."""
    if not files:
        return None
    from bpdebug.formats.layer_files import load_layer_files

    return load_layer_files(files)


def _edits(graph, written: list[str]) -> list:
    """The --set edits, each checked against the graph (EditError for the first bad one)."""
    from bpdebug.core.edits import parse_edit

    return [parse_edit(text, graph) for text in written]


def _said(error: Exception) -> str:
    """A GraphError's line, or an EditError said in the language chosen, as `--set: …`."""
    from bpdebug.core.edits import EditError
    from bpdebug.support.safe_text import escape_text
    from bpdebug.teach.messages import say

    if isinstance(error, EditError):
        return "error: --set: " + escape_text(say(error.message_id, error.args_))
    return str(error)


def _has_terminal() -> bool:
    """Both ends a terminal: off one, the app would wait for keys that never come (but for
    textual-serve's web driver, which speaks through pipes: --serve)."""
    if os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _open_app(
    trace: object,
    watch: bool = False,
    base: object = None,
    edits: list | None = None,
    quiz: bool = False,
    layers: dict | None = None,
    layer_files: list[str] | None = None,
) -> int:
    from bpdebug.support.gcpause import collector_back_on, collector_off_for_startup

    if not _has_terminal():
        collector_back_on()
        print(
            "bpdebug: error: the debugger needs a terminal (standard input and output are not one); "
            "use --trace to print the steps",
            file=sys.stderr,
        )
        return EXIT_BAD_GRAPH
    collector_off_for_startup()  # the app turns it back on after its first frame
    from bpdebug.tui.app import BpdebugApp

    app = BpdebugApp(
        trace, watch=watch, base=base, edits=edits, quiz=quiz, layers=layers, layer_files=layer_files
    )  # type: ignore[arg-type]
    app.run()
    return app.return_code or EXIT_OK


def _list(out: TextIO) -> int:
    from bpdebug.formats.bundled import bundled_graphs
    from bpdebug.support.formatting import cell_width, pad_cells
    from bpdebug.teach.messages import language, say

    out = _EscapingWriter(out)  # type: ignore[assignment]
    graphs = bundled_graphs(language())
    width = max(cell_width(g.name) for g in graphs)
    for g in graphs:
        out.write(f"{pad_cells(g.name, width)}  {g.title}\n")
    out.write("\n" + say("list.open", name=graphs[0].name) + "\n")
    return EXIT_OK


def _check(graph, trace, samples: int, out: TextIO) -> int:
    from bpdebug.core.layers import LayerCodeError
    from bpdebug.export.check_text import run_check
    from bpdebug.teach.explain import in_place_warnings

    try:
        agree = run_check(graph, trace, samples, out, sys.stderr, in_place_warnings(trace))
    except LayerCodeError as error:  # the user's layer failed on a moved input
        print(f"bpdebug: error: --check: {error}", file=sys.stderr)
        return EXIT_BAD_GRAPH
    return EXIT_OK if agree else EXIT_CHECK_FAILED
