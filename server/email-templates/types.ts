/** A named email template; subject, html and text are `{{ }}` templates. */
export interface EmailTemplate {
  name: string;
  subject: string;
  html: string | null;
  text: string | null;
}

export interface EmailTemplateStore {
  get(name: string): Promise<EmailTemplate | null>;
}
