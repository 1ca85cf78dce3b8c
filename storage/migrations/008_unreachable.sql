-- People the bot could not reach in private (never pressed Start, or blocked the bot):
-- recorded so that admins see them in /peran and their messages are handed on.
ALTER TABLE users ADD COLUMN unreachable_since TEXT;
ALTER TABLE users ADD COLUMN unreachable_reason TEXT;
