"""`mip` command line: chat, classify, train, engine, content check, db upgrade, report, review."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Coroutine, Sequence
from typing import Any

from bot.config import ConfigError, Settings
from bot.engine.setup import EngineSetupError, say_stderr
from bot.language.codes import SUPPORTED


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mip", description="Migratie Informatie Punt chatbot")
    sub = parser.add_subparsers(dest="command", required=True)
    p_chat = sub.add_parser("chat", help="chat in the terminal (starts the local engine)")
    p_chat.add_argument("--lang", choices=SUPPORTED, help="answer in this language from the start")
    p_chat.add_argument(
        "--as",
        dest="who",
        default="local",
        help="chat as this local user (e.g. a key person in a second terminal)",
    )
    sub.add_parser("run", help="run the Telegram bot (MIP_TELEGRAM_TOKEN)")
    p_cls = sub.add_parser("classify", help="language and intent of each line on stdin")
    p_cls.add_argument("--json", action="store_true", help="one JSON object per line")
    p_train = sub.add_parser("train", help="train the intent model when intents/ changed")
    p_train.add_argument("--force", action="store_true", help="train even when up to date")
    p_engine = sub.add_parser("engine", help="serve the intent model (rasa run --enable-api)")
    p_engine.add_argument("--port", type=int, default=5005)
    p_eval = sub.add_parser("eval", help="held-out accuracy per language (intents/tests)")
    p_eval.add_argument("--confusions", type=int, default=10, help="show this many confused pairs")
    p_eval.add_argument("--out", default="reports", help="report folder (eval.md, PNG charts)")
    p_eval.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p_eval.add_argument(
        "--cross-validation", action="store_true", help="also run Rasa's own cross-validation"
    )
    p_eval.add_argument("--folds", type=int, default=5, help="folds for --cross-validation")
    p_eval.add_argument(
        "--crisis",
        action="store_true",
        help="only the crisis tiers (phrases + classifier; + the engine when MIP_ENGINE_URL is set): reports/crisis.md",
    )
    p_content = sub.add_parser("content", help="content tools")
    p_content.add_argument("action", choices=["check"])
    p_content.add_argument(
        "--strict", action="store_true", help="warnings (stale, past 'yearly') fail the check too"
    )
    p_events = sub.add_parser("events", help="information evenings")
    p_events.add_argument("action", choices=["announce"])
    p_events.add_argument(
        "--dry-run", action="store_true", help="show what would be announced; send nothing"
    )
    p_db = sub.add_parser("db", help="database tools")
    p_db.add_argument("action", choices=["upgrade"])
    p_kp = sub.add_parser("keyperson", help="key persons: invite, list, remove")
    kp_sub = p_kp.add_subparsers(dest="action", required=True)
    p_invite = kp_sub.add_parser("invite", help="print a one-time invite link")
    p_invite.add_argument("--languages", required=True, help="e.g. pl,nl")
    p_invite.add_argument("--name", default="", help="first name shown to users")
    p_invite.add_argument("--days", type=int, default=7, help="the link expires after this")
    kp_sub.add_parser("list", help="registered key persons")
    p_remove = kp_sub.add_parser("remove", help="remove a key person (their tickets go back)")
    p_remove.add_argument("id", type=int)
    sub.add_parser("purge", help="delete data older than MIP_RETENTION_DAYS now")
    from bot.cli.reporting import add_parsers as add_reporting_parsers

    add_reporting_parsers(sub)
    args = parser.parse_args(argv)

    try:
        settings = Settings.from_env()
        return _run(args, settings)
    except (ConfigError, EngineSetupError) as e:
        print(f"mip: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.logs import setup_logging

    setup_logging(settings)
    if args.command == "chat":
        return _run_async(_chat(settings, args.lang, args.who))
    if args.command == "keyperson":
        from bot.cli.keypersons import keyperson

        return _run_async(keyperson(settings, args))
    if args.command == "purge":
        from bot.cli.keypersons import purge

        return _run_async(purge(settings))
    if args.command == "run":
        return _run_async(_telegram(settings))
    if args.command == "classify":
        return _run_async(_classify(settings, args.json))
    if args.command == "train":
        from bot.engine.setup import ensure_model

        ensure_model(settings, force=args.force)
        return 0
    if args.command == "engine":
        return _run_async(_engine(settings, args.port))
    if args.command == "eval":
        return _run_async(_eval(settings, args))
    if args.command == "content":
        return _content_check(settings, args.strict)
    if args.command == "events":
        return _run_async(_events_announce(settings, args.dry_run))
    if args.command == "db":
        return _run_async(_db_upgrade(settings))
    if args.command in ("report", "review"):
        from bot.cli import reporting as commands

        runner = commands.report if args.command == "report" else commands.review
        return _run_async(runner(settings, args))
    return 2


def _run_async(coro: Coroutine[Any, Any, int]) -> int:
    """Run a command; SIGTERM cancels it like Ctrl-C, so child engines are stopped cleanly."""

    async def main() -> int:
        task = asyncio.ensure_future(coro)
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            return await task
        except asyncio.CancelledError:
            return 143

    return asyncio.run(main())


async def _chat(settings: Settings, language: str | None, who: str) -> int:
    from bot.app import open_app
    from bot.console import chat
    from bot.storage.outbox import SqlOutbox

    async with open_app(settings) as app, app.running():
        await chat(
            app.conversation,
            language=language,
            user_key=f"console:{who}",
            outbox=SqlOutbox(app.db, prefix="console:"),
        )
    return 0


async def _telegram(settings: Settings) -> int:
    from bot.app import open_app
    from bot.storage.outbox import SqlOutbox
    from bot.telegram.delivery import PER_CHAT_GAP
    from bot.telegram.runner import run

    if not settings.telegram_token:
        raise ConfigError("MIP_TELEGRAM_TOKEN is not set (the token BotFather gave you)")
    from bot.monitoring.checks import serve_monitoring

    async with (
        open_app(settings) as app,
        app.running(),
        serve_monitoring(
            settings, app.db, app.engine, [g.name for g in app.content.data.crisis]
        ) as telegram_check,
    ):
        outbox = SqlOutbox(app.db, prefix="tg:", spacing=PER_CHAT_GAP)
        await run(
            settings,
            app.conversation,
            app.db,
            outbox=outbox,
            telegram=settings.telegram,
            on_started=telegram_check.started if telegram_check else None,
        )
    return 0


async def _classify(settings: Settings, as_json: bool) -> int:
    from bot.app import engine_client, load_contract
    from bot.content.store import ContentStore
    from bot.core.crisis import find_crisis
    from bot.core.risk import RiskClassifier, tier_of_matches
    from bot.language.identify import LanguageIdentifier

    content = ContentStore(settings.content_dir, SUPPORTED, load_contract(settings))
    content.load()
    risk = RiskClassifier.from_training_data(settings.intents_dir)
    languages = LanguageIdentifier.from_training_data(settings.intents_dir / "data" / "nlu")
    async with engine_client(settings, parse_timeout=max(settings.engine_timeout, 10.0)) as client:
        for line in sys.stdin:
            text = line.rstrip("\n")
            if not text.strip():
                continue
            detection = languages.detect(text)
            parsed = await client.parse(text)
            phrases = find_crisis(text, content.data.crisis, detection.language)
            reading = risk.assess(text)
            tier = tier_of_matches(reading, phrases, parsed.intent)
            row = {
                "text": text,
                "language": detection.language,
                "intent": parsed.intent,
                "confidence": round(parsed.confidence, 4),
                # The phrase's group first; else the classifier's most likely one.
                "crisis": (phrases[0].group if phrases else reading.group) if tier else None,
                "tier": tier,
            }
            if as_json:
                print(json.dumps(row, ensure_ascii=False), flush=True)
            else:
                print(
                    f"{row['language'] or '-'}\t{row['intent']}\t{row['confidence']:.2f}\t{text}",
                    flush=True,
                )
    return 0


async def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.cli.evaluate import run_crisis_eval, run_eval

    if args.crisis:
        return await run_crisis_eval(settings, out_dir=Path(args.out))
    return await run_eval(
        settings,
        out_dir=Path(args.out),
        confusions=args.confusions,
        cross_validation_folds=args.folds if args.cross_validation else 0,
        charts=not args.no_charts,
    )


async def _engine(settings: Settings, port: int) -> int:
    from bot.engine.process import LocalEngine

    engine = LocalEngine(settings, port=port, auth=bool(settings.engine_token))
    async with engine as url:
        say_stderr(f"Serving the intent engine on {url} (POST /model/parse). Ctrl-C stops it.")
        if engine.token is None:
            say_stderr("No MIP_ENGINE_TOKEN: the API takes requests without a token (local use).")
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()
    return 0


def _content_check(settings: Settings, strict: bool) -> int:
    import datetime as dt

    from bot.app import load_contract
    from bot.content.checker import check_tree

    valid, problems = check_tree(
        settings.content_dir, SUPPORTED, load_contract(settings), dt.date.today()
    )
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.warning or (strict and p.strict)]
    print(
        f"{valid} answer file(s) loaded; {len(errors)} error(s), "
        f"{len(problems) - len(errors)} warning(s)",
        file=sys.stderr,
    )
    return 1 if errors else 0


async def _events_announce(settings: Settings, dry_run: bool) -> int:
    import datetime as dt

    from bot.app import announcer, load_contract
    from bot.content.store import ContentStore
    from bot.core.evenings import DryRun, announce
    from bot.storage.db import Database
    from bot.storage.subscriptions import SqlSubscriptions

    content = ContentStore(settings.content_dir, SUPPORTED, load_contract(settings))
    if problems := [p for p in content.load() if not p.warning]:
        for problem in problems:
            print(problem, file=sys.stderr)
    db = Database(settings.database_url)
    try:
        await db.migrate()

        def title(language: str, intent: str) -> str:
            answer = content.get(language, intent)
            return answer.title if answer else intent

        report = await announce(
            content.data.events,
            SqlSubscriptions(db),
            DryRun() if dry_run else announcer(db),
            content.data.municipalities,
            title,
            today=dt.date.today(),
            dry_run=dry_run,
        )
    finally:
        await db.dispose()
    verb = "would announce" if dry_run else "announced"
    for item in report:
        print(f"{verb} {item.event.id} ({item.event.date}) to {item.recipients} subscriber(s)")
    if not report:
        print("no upcoming event left to announce")
    return 0


async def _db_upgrade(settings: Settings) -> int:
    from bot.storage.db import Database

    db = Database(settings.database_url)
    try:
        await db.migrate()
    finally:
        await db.dispose()
    say_stderr("Database schema is up to date.")
    return 0
