"""`mip keyperson invite|list|remove` and `mip purge`: queue administration for staff."""

from __future__ import annotations

import argparse
import datetime as dt

import httpx

from bot.config import ConfigError, Settings
from bot.core.handoff.hours import Schedule
from bot.handoff.queue import HandoffQueue
from bot.language.codes import SUPPORTED
from bot.reporting.review import QuestionCollector
from bot.storage.db import Database


async def keyperson(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.database_url)
    await db.migrate()
    queue = HandoffQueue(db, Schedule.load(settings.content_dir / "handoff.yml"), _no_titles)
    try:
        if args.action == "invite":
            languages = [c.strip() for c in args.languages.split(",") if c.strip()]
            unknown = [c for c in languages if c not in SUPPORTED]
            if not languages or unknown:
                raise ConfigError(
                    f"--languages must list some of {','.join(SUPPORTED)}, not {args.languages!r}"
                )
            token = await queue.create_invite(languages, args.name, dt.timedelta(days=args.days))
            username = settings.telegram_bot_username or await _bot_username(settings)
            expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=args.days)).date()
            if username:
                print(f"https://t.me/{username}?start={token}")
            else:
                print(f"/start {token}")
                print("(set MIP_TELEGRAM_TOKEN or MIP_TELEGRAM_BOT_USERNAME to get a t.me link)")
            print(f"Works once, until {expires.isoformat()}, for: {', '.join(languages)}.")
            return 0
        if args.action == "list":
            people = await queue.key_persons()
            if not people:
                print("No key persons yet: mip keyperson invite --languages pl,nl")
            for kp in people:
                state = "available" if kp.available else "away"
                print(f"{kp.id:>4}  {kp.name or '-':<20} {','.join(kp.languages):<12} {state}")
            return 0
        removed = await queue.remove_key_person(args.id)
        print("removed" if removed else f"no key person with id {args.id}")
        return 0 if removed else 1
    finally:
        await db.dispose()


async def purge(settings: Settings) -> int:
    db = Database(settings.database_url)
    await db.migrate()
    queue = HandoffQueue(db, Schedule.load(settings.content_dir / "handoff.yml"), _no_titles)
    try:
        result = await queue.purge(dt.timedelta(days=settings.retention_days))
        reviewed = await QuestionCollector(db, enabled=True).purge(settings.retention_days)
        print(
            f"purged {result.tickets} tickets, {result.conversations} conversations, "
            f"{result.invites} invites, {reviewed} review items older than "
            f"{settings.retention_days} days"
        )
        return 0
    finally:
        await db.dispose()


async def _bot_username(settings: Settings) -> str | None:
    if not settings.telegram_token:
        return None
    base = (settings.telegram_base_url or "https://api.telegram.org/bot").rstrip("/")
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(f"{base}{settings.telegram_token.get()}/getMe")
            response.raise_for_status()
            username = response.json()["result"].get("username")
            return str(username) if username else None
    except (httpx.HTTPError, KeyError, ValueError):
        return None


def _no_titles(language: str, intent: str) -> str:
    return intent
