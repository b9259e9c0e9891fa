// The `source` of every diagnostic we publish: the server sets it, and the
// client counts by it (language status). Its own module so the client's
// bundle does not carry the rule catalog to read one string.

export const DIAGNOSTIC_SOURCE = 'datadog-wif';
