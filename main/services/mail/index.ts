export { getMailSettings, isMailSetUp, mailSettingsView, MAIL_DEFAULTS, type MailSettings } from './settings'
