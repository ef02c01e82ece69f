// The Bot API server of the end-to-end tests: telegram-test-api (pinned in package.json)
// with its gaps patched (see ../../../README.md, "Running on Telegram", and the tests'
// harness). Usage: node server.js <port>. Prints "ready <port>" once it listens.
'use strict';

const TelegramServer = require('telegram-test-api');
const { routes } = require('telegram-test-api/lib/routes/index');
const { getMe } = require('telegram-test-api/lib/routes/bot/getMe');
const { getUpdates } = require('telegram-test-api/lib/routes/bot/getUpdates');
const { sendMessage } = require('telegram-test-api/lib/routes/bot/sendMessage');
const { unknownMethod } = require('telegram-test-api/lib/routes/bot/unknownMethod');
const { handle } = require('telegram-test-api/lib/routes/bot/utils');

const port = Number(process.argv[2] || 9000);
const LONG_POLL_MAX_MS = 1000; // short, so a stopping bot is never kept waiting long

function replaceRoute(original, patched) {
  const i = routes.indexOf(original);
  if (i < 0) throw new Error('telegram-test-api changed: route not found');
  routes[i] = patched;
}

// Gap 1: getMe without is_bot (python-telegram-bot's User requires it).
replaceRoute(getMe, (app) => handle(app, '/bot:token/getMe', (_req, res) => {
  res.json({
    ok: true,
    result: {
      id: 666, is_bot: true, first_name: 'MIP test bot', username: 'MipTestBot',
      can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
    },
  });
}));

// getUpdates answered at once is a busy loop for a polling bot; hold it like Telegram does.
replaceRoute(getUpdates, (app, server) => handle(app, '/bot:token/getUpdates', async (req, res) => {
  const token = req.params.token;
  const wanted = Number((req.body && req.body.timeout) || req.query.timeout || 0) * 1000;
  const deadline = Date.now() + Math.min(wanted, LONG_POLL_MAX_MS);
  let result = server.getUpdates(token);
  while (result.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    result = server.getUpdates(token);
  }
  res.json({ ok: true, result });
}));

// sendMessage as Telegram answers it: a text longer than 4096 UTF-16 units (what the user
// sees: tags and entities count as shown) is refused, and faults queued by a test through
// /fault answer the next messages to a chat (400, 403, 429 with retry_after, 5xx), or
// store the message and cut the connection before answering ("drop": sent, no answer).
const faults = new Map(); // `${token}:${chatId}` -> [{status, description, retryAfter} | 'drop']
const TELEGRAM_TEXT_MAX = 4096;
function visibleLength(text, parseMode) {
  if (parseMode !== 'HTML') return text.length;
  return text.replace(/<[^>]+>/g, '').replace(/&(amp|lt|gt|quot);/g, 'x').length;
}
replaceRoute(sendMessage, (app, server) => handle(app, '/bot:token/sendMessage', (req, res) => {
  const token = req.params.token;
  const queued = faults.get(`${token}:${req.body.chat_id}`) || [];
  const fault = queued.shift();
  if (fault === 'drop') {
    server.addBotMessage(req.body, token);
    req.socket.destroy();
    return;
  }
  const text = String(req.body.text || '');
  const refusal = fault || (visibleLength(text, req.body.parse_mode) > TELEGRAM_TEXT_MAX
    ? { status: 400, description: 'Bad Request: message is too long' } : null);
  if (refusal) {
    const body = { ok: false, error_code: refusal.status, description: refusal.description };
    if (refusal.retryAfter) body.parameters = { retry_after: refusal.retryAfter };
    res.status(refusal.status).json(body);
    return;
  }
  res.sendResult({ ok: true, result: server.addBotMessage(req.body, token) });
}));

// Test-only client route: queue faults for the next messages the bot sends to a chat.
routes.unshift((app) => app.post('/fault', (req, res) => {
  const { token, chatId, fault } = req.body;
  const key = `${token}:${chatId}`;
  faults.set(key, [...(faults.get(key) || []), fault]);
  res.json({ ok: true, result: null });
}));

// Methods the bot calls that the emulator lacks: accepted and ignored.
const accepted = ['setMyCommands', 'sendChatAction', 'leaveChat'];
routes.splice(routes.indexOf(unknownMethod), 0, ...accepted.map(
  (method) => (app) => handle(app, `/bot:token/${method}`, (_req, res) => res.json({ ok: true, result: true })),
));

// Test-only client route: make an update pending again, as Telegram does when a bot did not
// confirm it (a crash before the next getUpdates): the same update_id arrives twice.
routes.unshift((app, server) => app.post('/redeliver', (req, res) => {
  const update = server.storage.userMessages.find(
    (u) => u.botToken === req.body.token && u.updateId === Number(req.body.updateId),
  );
  if (update) update.isRead = false;
  res.json({ ok: Boolean(update), result: null });
}));

// Test-only client route: a user update of any type (edited_message, my_chat_member...),
// given as the Bot API would send it, minus update_id.
routes.unshift((app, server) => app.post('/sendUpdate', async (req, res) => {
  const { token, update } = req.body;
  const updateId = server.updateId;
  await server.addUserUpdate({ ...server.getCommonFields(token), raw: update });
  server.messageId++;
  res.json({ ok: true, result: { update_id: updateId } });
}));

// Gap 3: callback queries without chat_instance; raw updates passed through as given.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  if ('raw' in update) return { update_id: update.updateId, ...update.raw };
  const formatted = formatUpdate(update);
  if (formatted.callback_query) formatted.callback_query.chat_instance = 'e2e';
  return formatted;
};

// Gap 2: the message returned from sendMessage has its date in milliseconds, and echoes
// form-encoded object fields (link_preview_options...) as JSON strings.
const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function addBotMessageAsTelegram(...args) {
  const message = { ...addBotMessage.apply(this, args) };
  message.date = Math.floor(message.date / 1000);
  for (const [key, value] of Object.entries(message)) {
    if (typeof value === 'string' && /^[[{]/.test(value)) message[key] = JSON.parse(value);
  }
  return message;
};

// A webhook gets Telegram's secret-token header, as the real server sends it.
TelegramServer.prototype.addUserUpdate = async function addUserUpdate(update) {
  const webhook = this.webhooks[update.botToken];
  if (!webhook) {
    this.storage.userMessages.push(update);
  } else {
    const headers = { 'Content-Type': 'application/json' };
    if (webhook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
    await fetch(webhook.url, {
      method: 'POST', headers, body: JSON.stringify(TelegramServer.formatUpdate(update)),
    });
  }
  this.updateId++;
};

const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
server.start().then(() => {
  process.stdout.write(`ready ${port}\n`);
});
const stop = () => server.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
