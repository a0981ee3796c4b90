"""`stelsel`: run the service (all embedded, or one part against real clusters), print a
dev token, export the schema."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from services.reports import parse_moment

SCHEMA_FILE = Path("schema/schema.graphql")


def _processes(text: str) -> int:
    """1 to 64: more than a machine's cores only adds processes that wait."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number from 1 to 64") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError("a whole number from 1 to 64")
    return count


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stelsel", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser(
        "dev", help="Temporal dev server, SecantusDB, worker and API with demo data"
    )
    dev.add_argument("--api-port", type=int, default=8000)
    dev.add_argument("--temporal-port", type=int, default=7233)
    dev.add_argument("--ui-port", type=int, default=8233)
    dev.add_argument("--mongo-port", type=int, default=27017)
    dev.add_argument("--data-dir", type=Path, default=None,
                     help="where everything is kept (default: ./.stelsel)")
    dev.add_argument("--no-demo-issues", action="store_true",
                     help="load the demo register only, raise no demo issues")

    api = commands.add_parser("api", help="the GraphQL API alone (MONGODB_URI, TEMPORAL_ADDRESS)")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--processes", type=_processes, default=1,
                     help="API processes on the one port (each its own event loop and cache)")
    api.add_argument("--shared-port", action="store_true",
                     help="open the port so other API processes may open it too")

    commands.add_parser("worker", help="the Temporal worker alone (MONGODB_URI, TEMPORAL_ADDRESS)")
    commands.add_parser("setup-temporal",
                        help="register Stelsel's search attributes on a Temporal namespace")

    token = commands.add_parser("token", help="print a development token for a person")
    token.add_argument("person_id")
    token.add_argument("--ttl", type=int, default=86_400, help="seconds (default: a day)")
    token.add_argument("--data-dir", type=Path, default=None)

    report = commands.add_parser(
        "report", help="the decision register and framework compliance for a period")
    report.add_argument("--format", choices=["csv", "json", "md", "zip"], default="md")
    report.add_argument("--table", default="besluiten",
                        choices=["besluiten", "kaders", "uitzonderingen", "register"],
                        help="which table a CSV holds (a zip holds them all)")
    report.add_argument("--language", choices=["nl", "en"], default="nl")
    report.add_argument("--from", dest="start", type=parse_moment, default=None,
                        help="ISO date or time (UTC), inclusive")
    report.add_argument("--to", dest="end", type=parse_moment, default=None,
                        help="ISO date or time (UTC), exclusive")
    report.add_argument("--output", type=Path, default=None, help="default: standard output")
    report.add_argument("--council", default=None,
                        help="one council's id (default: every council, each apart)")

    notifications = commands.add_parser(
        "notifications", help="list the notifications given up on (dead letters)")
    notifications.add_argument("--retry", action="store_true",
                               help="send every one of them again")

    council = commands.add_parser("council", help="council definitions (docs/COUNCILS.md)")
    council_commands = council.add_subparsers(dest="council_command", required=True)
    validate = council_commands.add_parser("validate", help="check a definition file")
    validate.add_argument("file", type=Path)
    publish = council_commands.add_parser(
        "publish", help="publish a definition in the configured database, as a secretariat")
    publish.add_argument("file", type=Path)
    publish.add_argument("--as", dest="person_id", required=True,
                         help="the secretary publishing it (their register id)")
    show = council_commands.add_parser("show", help="a council's version in force and history")
    show.add_argument("council_id")

    register = commands.add_parser("register", help="the demo register's units (docs/REGISTER.md)")
    register_commands = register.add_subparsers(dest="register_command", required=True)
    register_commands.add_parser(
        "generate", help="write services/store/demo_register.json from the TOOI lists and "
        "register_sources.yaml")

    export_woo = commands.add_parser(
        "export", help="publish decisions as files (docs/WOO.md): `stelsel export diwoo DIR`")
    export_woo.add_argument("what", choices=["diwoo"])
    export_woo.add_argument("output", type=Path, help="a directory: sitemap.xml, besluiten/")

    export = commands.add_parser("export-schema", help="write the GraphQL schema to a file")
    export.add_argument("--output", type=Path, default=SCHEMA_FILE)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "export-schema":
        from services.graph.schema import schema

        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(str(schema) + "\n")
        print(f"wrote {args.output}")
        return 0
    if args.command == "register":
        from services.store.register_data import ROOT, generated

        target = ROOT / "services" / "store" / "demo_register.json"
        target.write_text(generated())
        print(f"wrote {target}")
        return 0
    if args.command == "council" and args.council_command == "validate":
        from services.councils.definitions import InvalidDefinition, read

        try:
            definition = read(args.file.read_text())
        except (InvalidDefinition, OSError, UnicodeDecodeError) as problem:
            print(f"{args.file}: {problem}", file=sys.stderr)
            return 1
        print(f"{args.file}: {definition.id} version {definition.version}, "
              f"hash {definition.rules.hash[:12]}")
        return 0
    if args.command == "token":
        from services.graph.auth import issue_token
        from services.run import dev_settings

        settings = dev_settings(args.data_dir)
        print(issue_token(settings, args.person_id, args.ttl))
        return 0

    from pydantic import ValidationError

    try:
        return _serve(args) or 0
    except ValidationError as err:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
        print(f"stelsel: invalid settings: {problems}", file=sys.stderr)
        return 2
    return 0


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """libuv's event loop where it is installed; asyncio's own elsewhere."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _serve(args: argparse.Namespace) -> int | None:
    # Imported here so that `token` and `export-schema` start fast.
    from services import run
    from services.logs import configure_logging
    from services.settings import Settings

    settings = Settings(mode="development") if args.command == "dev" else Settings()
    configure_logging(settings.log_json if settings.log_json is not None else not settings.dev,
                      settings.log_level)

    if args.command == "dev":
        options = run.DevOptions(args.api_port, args.temporal_port, args.ui_port,
                                 args.mongo_port, args.data_dir, not args.no_demo_issues)
        asyncio.run(run.run_dev(options))
    elif args.command == "api":
        # The API alone on libuv's event loop: a thousand sockets' writes of one event cost
        # less there (board fan-out p50 -7%, bench.fanout). The worker, and `dev` that
        # hosts one, keep asyncio's own, the loop Temporal's SDK is tested on.
        with asyncio.Runner(loop_factory=_fast_loop()) as runner:
            runner.run(run.run_api(Settings(), args.host, args.port, args.processes,
                                   args.shared_port))
    elif args.command == "worker":
        asyncio.run(run.run_worker(Settings()))
    elif args.command == "setup-temporal":
        asyncio.run(run.run_setup_temporal(Settings()))
    elif args.command == "report":
        return asyncio.run(run.run_report(Settings(), args.format, args.start, args.end,
                                          args.output, args.council, args.table,
                                          args.language))
    elif args.command == "export":
        return asyncio.run(run.run_export_diwoo(Settings(), args.output))
    elif args.command == "notifications":
        asyncio.run(run.run_notifications(Settings(), args.retry))
    elif args.command == "council" and args.council_command == "publish":
        return asyncio.run(run.run_council_publish(Settings(), args.file, args.person_id))
    elif args.command == "council":
        return asyncio.run(run.run_council_show(Settings(), args.council_id))
    return None


if __name__ == "__main__":
    sys.exit(main())
