// Which delivery channel serves e-mail and WhatsApp codes on this deployment, from the config.
import type { Config } from '../config.js';
import { LogOtpChannel, type WarningLogger } from './log-channel.js';
import type { ChannelName, OtpChannel } from './otp-channel.js';
import { SmtpMailer } from '../notify/mailer.js';
import { SmtpOtpChannel } from './smtp-channel.js';
import { WhatsAppWebhookChannel } from './whatsapp-channel.js';

/**
 * E-mail goes over SMTP when configured, else to the log. WhatsApp goes to the webhook when
 * configured; without one it is offered (through the log) only while e-mail is logged too, i.e. on a
 * development setup: once a real channel is configured, no code may reach the log (the config refuses a
 * webhook without SMTP, so e-mail is never logged beside it).
 */
export function buildChannels(config: Pick<Config, 'smtpUrl' | 'smtpFrom' | 'whatsapp'>, logger: WarningLogger): ReadonlyMap<ChannelName, OtpChannel> {
  const channels = new Map<ChannelName, OtpChannel>();
  channels.set('email', config.smtpUrl ? new SmtpOtpChannel(new SmtpMailer(config.smtpUrl, config.smtpFrom)) : new LogOtpChannel(logger, 'email'));
  if (config.whatsapp) channels.set('whatsapp', new WhatsAppWebhookChannel(config.whatsapp));
  else if (!config.smtpUrl) channels.set('whatsapp', new LogOtpChannel(logger, 'whatsapp'));
  return channels;
}
