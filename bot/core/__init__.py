"""The conversation core: a user event in, replies (text and buttons) out. No I/O here.

Modules: events (in and out), conversation (the front: key persons to the desk, migrants to
the dialogue), dialogue, menus, answers, crisis, profile (tailored answers), evenings, state,
callbacks (button data), throttle, early_parse; the interfaces the core needs and others
implement: understanding (the engine), handoff.ports (the queue), state.ConversationStates,
insight, outgoing (messages to other users); handoff (the model, notices, duty hours, and
the migrant's and the key person's side of the dialogue).
"""
