"""The conversation core: a user event in, replies (text and buttons) out. No transport here."""

from bot.core.conversation import Conversation
from bot.core.events import Button, EventKind, Reply, UserEvent
from bot.core.state import ConversationState

__all__ = ["Button", "Conversation", "ConversationState", "EventKind", "Reply", "UserEvent"]
