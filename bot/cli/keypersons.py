"""`mip keyperson invite|list|remove` and `mip purge`: queue administration for staff."""

from __future__ import annotations

import argparse
import datetime as dt

import httpx

from bot.config import ConfigError, Settings
from bot.core.handoff.hours import Schedule
from bot.handoff import Handoff, build_handoff
from bot.language.codes import SUPPORTED
from bot.reporting.review import purge_review_items
from bot.storage.db import Database
from bot.storage.privacy import Part


async def keyperson(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.database_url)
    await db.migrate()
    handoff = _handoff(settings, db)
    try:
        if args.action == "invite":
            languages = [c.strip() for c in args.languages.split(",") if c.strip()]
            unknown = [c for c in languages if c not in SUPPORTED]
            if not languages or unknown:
                raise ConfigError(
                    f"--languages must list some of {','.join(SUPPORTED)}, not {args.languages!r}"
                )
            token = await handoff.key_persons.create_invite(
                languages, args.name, dt.timedelta(days=args.days)
            )
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
            people = await handoff.key_persons.all()
            if not people:
                print("No key persons yet: mip keyperson invite --languages pl,nl")
            for kp in people:
                state = "available" if kp.available else "away"
                print(f"{kp.id:>4}  {kp.name or '-':<20} {','.join(kp.languages):<12} {state}")
            return 0
        removed = await handoff.key_persons.remove(args.id)
        print("removed" if removed else f"no key person with id {args.id}")
        return 0 if removed else 1
    finally:
        await db.dispose()


async def purge(settings: Settings) -> int:
    db = Database(settings.database_url)
    await db.migrate()
    handoff = _handoff(settings, db)
    try:
        if stale := await handoff.stale.close():
            print(
                f"closed {len(stale)} ticket(s) without messages for {settings.stale_ticket_days} days"
            )
        purged = await handoff.privacy.purge(dt.timedelta(days=settings.retention_days))
        counts = ", ".join(f"{n} {kind}" for kind, n in purged.items())
        print(f"purged {counts} older than {settings.retention_days} days")
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


def _handoff(settings: Settings, db: Database) -> Handoff:
    handoff = build_handoff(
        db,
        Schedule.load(settings.content_dir / "handoff.yml"),
        _no_titles,
        stale_after=dt.timedelta(days=settings.stale_ticket_days),
    )
    handoff.privacy.register(Part("review items", purge=purge_review_items))
    return handoff


def _no_titles(language: str, intent: str) -> str:
    return intent
