// Email actions: send_email over SMTP, email_read over IMAP (the IMAP trigger lives in
// server/triggers/email and shares the session and message helpers here).
import type { ActionDefinition } from '../../core/action.js';
import { emailReadAction } from './email-read.js';
import { sendEmailAction } from './send-email.js';

export { closeSmtpTransports } from '../../connectors/smtp-transports.js';

export const emailActions: ActionDefinition<any>[] = [sendEmailAction, emailReadAction];
