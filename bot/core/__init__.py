"""The conversation core: a user event in, replies (text and buttons) out. No transport here.

Modules: events (in and out), conversation (the dialogue), state, callbacks (button data),
outbox (messages to other users), handoff_flow and keyperson_desk (the two sides of the
handoff queue).
"""
