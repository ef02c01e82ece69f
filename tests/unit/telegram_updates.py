"""Bot API update payloads as Telegram sends them, for Update.de_json in the tests."""

from __future__ import annotations

import time
from typing import Any

USER_ID = 4242


def user(user_id: int = USER_ID, language_code: str | None = "pl") -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": "Ola",
        **({"language_code": language_code} if language_code else {}),
    }


def private_chat(chat_id: int = USER_ID) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": "Ola"}


def group_chat(chat_id: int = -100200) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "Werkers"}


def message(
    update_id: int = 1, *, chat: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": chat or private_chat(),
            "from": user(),
            **fields,
        },
    }


def edited(update_id: int = 1, **fields: Any) -> dict[str, Any]:
    body = message(update_id, **fields)["message"]
    return {"update_id": update_id, "edited_message": {**body, "edit_date": int(time.time())}}


def callback(data: str, update_id: int = 1, chat_id: int = USER_ID) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": user(),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 7,
                "date": int(time.time()),
                "chat": private_chat(chat_id),
                "text": "menu",
            },
        },
    }


def bot_added_to_group(update_id: int = 1) -> dict[str, Any]:
    bot = {"id": 666, "is_bot": True, "first_name": "MIP", "username": "MipTestBot"}
    now = int(time.time())
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": group_chat(),
            "from": user(),
            "date": now,
            "old_chat_member": {"status": "left", "user": bot},
            "new_chat_member": {"status": "member", "user": bot},
        },
    }


FILE = {"file_id": "f1", "file_unique_id": "u1"}
MEDIA: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            **FILE,
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    },
    "photo": {"photo": [{**FILE, "width": 90, "height": 90}]},
    "voice": {"voice": {**FILE, "duration": 3}},
    "video": {"video": {**FILE, "width": 640, "height": 480, "duration": 5}},
    "video_note": {"video_note": {**FILE, "length": 240, "duration": 5}},
    "document": {"document": {**FILE, "file_name": "umowa.pdf"}},
    "location": {"location": {"latitude": 51.59, "longitude": 4.78}},
    "contact": {"contact": {"phone_number": "+31000000000", "first_name": "Jan"}},
    "poll": {
        "poll": {
            "id": "p1",
            "question": "?",
            "options": [
                {"persistent_id": "a", "text": "a", "voter_count": 0},
                {"persistent_id": "b", "text": "b", "voter_count": 0},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
}
